// Stands in for Node's fs in the browser bundle: Kusto's language service requires it only on a Node code path.
export default {};

export interface KqlSchema {
  database: string;
  table: string;
  columns: { name: string; type: string }[];
}

export interface KqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  schema: KqlSchema | null;
}

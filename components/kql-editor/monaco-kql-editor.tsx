'use client';

// First: the editor's contributions (suggest, hover, code actions…) must register their services
// before monaco-kusto defines its themes, which freezes the editor's service collection.
import 'monaco-editor/esm/vs/editor/edcore.main';
import { getKustoWorker, type EngineSchema } from '@kusto/monaco-kusto';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import { useEffect, useRef } from 'react';
import type { KqlEditorProps } from './kql-editor-props';

// Both workers come from this app's own bundle: the generic editor worker, and the Kusto language
// service (ADX's parser) that powers completion, highlighting and diagnostics.
self.MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) =>
    label === 'kusto'
      ? new Worker(new URL('./kusto-worker.ts', import.meta.url), { type: 'module' })
      : new Worker(new URL('./editor-worker.ts', import.meta.url), { type: 'module' }),
};

export default function MonacoKqlEditor({ value, onChange, onRun, schema }: KqlEditorProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    const editor = monaco.editor.create(containerRef.current!, {
      value,
      language: 'kusto',
      minimap: { enabled: false },
      automaticLayout: true,
      fontSize: 13,
      lineNumbers: 'on',
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
    });
    editorRef.current = editor;
    editor.onDidChangeModelContent(() => callbacks.current.onChange(editor.getValue()));
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => callbacks.current.onRun());
    return () => {
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // The editor owns its text once created; outside changes arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (editor && editor.getValue() !== value) editor.setValue(value);
  }, [value]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || !schema) return;
    const database = {
      name: schema.database,
      tables: [{ name: schema.table, columns: schema.columns.map((column) => ({ name: column.name, type: column.type })) }],
      functions: [],
      entityGroups: [],
      majorVersion: 1,
      minorVersion: 0,
    };
    const engineSchema: EngineSchema = {
      clusterType: 'Engine',
      cluster: { connectionString: 'target', databases: [database] },
      database,
    };
    let cancelled = false;
    void getKustoWorker()
      .then((accessor) => accessor(model.uri))
      .then((worker) => {
        if (!cancelled) return worker.setSchema(engineSchema);
      });
    return () => {
      cancelled = true;
    };
  }, [schema]);

  return <div ref={containerRef} data-testid="kql-editor" className="h-44 w-full" />;
}

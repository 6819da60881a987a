import { type ReactElement, useEffect, useMemo, useRef, useState } from 'react';
import type { SettingsField, SettingsProblem } from '../../../app/contract';
import { useBackend } from '../backend-context';

type Values = Record<string, unknown>;

function getPath(values: Values, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Values)[k] : undefined), values);
}

function setPath(values: Values, key: string, value: unknown): Values {
  const [head, ...rest] = key.split('.');
  if (rest.length === 0) return { ...values, [head]: value };
  return { ...values, [head]: setPath((values[head] as Values) ?? {}, rest.join('.'), value) };
}

/** A form over the config schema (grouped by section) with the schema's own messages, plus a raw JSON editor. */
export function SettingsPage() {
  const backend = useBackend();
  const [fields, setFields] = useState<SettingsField[]>([]);
  const [values, setValues] = useState<Values>({});
  const [problems, setProblems] = useState<SettingsProblem[]>([]);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    void backend.call('getSettings').then((view) => {
      setFields(view.fields);
      setValues(view.values);
      setJson(JSON.stringify(view.values, null, 2));
    });
  }, [backend]);

  const validate = (next: Values) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void backend.call('validateSettings', next).then((r) => setProblems(r.ok ? [] : r.problems));
    }, 250);
  };

  const change = (key: string, value: unknown) => {
    const next = setPath(values, key, value);
    setValues(next);
    setJson(JSON.stringify(next, null, 2));
    setSaved(undefined);
    validate(next);
  };

  const save = async (next: Values) => {
    const result = await backend.call('saveSettings', next);
    setProblems(result.ok ? [] : result.problems);
    setSaved(result.ok ? 'Saved and applied.' : undefined);
  };

  const groups = useMemo(() => {
    const map = new Map<string, SettingsField[]>();
    for (const f of fields) {
      const group = f.key.includes('.') ? f.key.split('.')[0] : 'general';
      map.set(group, [...(map.get(group) ?? []), f]);
    }
    return [...map];
  }, [fields]);

  return (
    <section className="page">
      <header className="page-header">
        <h1>Settings</h1>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'form'} onClick={() => setTab('form')}>
            Form
          </button>
          <button type="button" role="tab" aria-selected={tab === 'json'} onClick={() => setTab('json')}>
            JSON
          </button>
        </div>
      </header>
      {tab === 'form' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(values);
          }}
        >
          {groups.map(([group, list]) => (
            <fieldset key={group} className="card settings-group">
              <legend>{group}</legend>
              {list.map((f) => (
                <SettingInput
                  key={f.key}
                  field={f}
                  value={getPath(values, f.key)}
                  problem={problems.find((p) => p.key === f.key)?.message}
                  onChange={(v) => change(f.key, v)}
                />
              ))}
            </fieldset>
          ))}
          <div className="row sticky-save">
            <button type="submit" className="button primary" disabled={problems.length > 0}>
              Save
            </button>
            {saved && <span className="ok">{saved}</span>}
            {problems.length > 0 && <span className="error">{problems.length} setting(s) need attention</span>}
          </div>
        </form>
      ) : (
        <div className="card">
          <textarea
            className="json"
            name="raw-json"
            aria-label="Settings as JSON"
            value={json}
            spellCheck={false}
            onChange={(e) => {
              setJson(e.target.value);
              try {
                const parsed = JSON.parse(e.target.value) as Values;
                setJsonError(undefined);
                setValues(parsed);
                validate(parsed);
              } catch (error) {
                setJsonError((error as Error).message);
              }
            }}
          />
          {jsonError && (
            <p className="error" role="alert">
              {jsonError}
            </p>
          )}
          {problems.map((p) => (
            <p key={p.key} className="error" role="alert">
              {p.key}: {p.message}
            </p>
          ))}
          <button type="button" className="button primary" disabled={!!jsonError} onClick={() => void save(values)}>
            Save
          </button>
        </div>
      )}
    </section>
  );
}

function SettingInput({
  field,
  value,
  problem,
  onChange,
}: {
  field: SettingsField;
  value: unknown;
  problem?: string;
  onChange: (v: unknown) => void;
}) {
  const id = `setting-${field.key}`;
  let input: ReactElement;
  if (field.type === 'boolean') {
    input = (
      <input
        id={id}
        name={field.key}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  } else if (field.type === 'enum') {
    input = (
      <select id={id} name={field.key} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {field.options?.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  } else if (field.type === 'number') {
    input = (
      <input
        id={id}
        name={field.key}
        type="number"
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    );
  } else if (field.type === 'list') {
    input = (
      <input
        id={id}
        name={field.key}
        value={Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : ''}
        placeholder="comma separated"
        onChange={(e) =>
          onChange(
            e.target.value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          )
        }
      />
    );
  } else {
    input = <input id={id} name={field.key} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className={`setting ${problem ? 'invalid' : ''}`}>
      <label htmlFor={id}>{field.key.split('.').slice(1).join('.') || field.key}</label>
      {input}
      <p className="hint">{field.description}</p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

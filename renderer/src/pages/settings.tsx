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

/** The settings a streamer changes, in plain words; every other key of the schema sits under "Advanced". */
const BASIC: Array<{ title: string; intro: string; keys: Array<[key: string, label: string]> }> = [
  {
    title: 'Ports',
    intro: 'Which network ports OBS, players and this dashboard use. Change them only if another program needs one.',
    keys: [
      ['rtmp.port', 'OBS connects on (RTMP port)'],
      ['http.port', 'Players watch on (HTTP port)'],
      ['api.port', 'This dashboard (API port)'],
    ],
  },
  {
    title: 'Recording',
    intro: 'Where recordings go and in which format.',
    keys: [
      ['dvr.dir', 'Recordings folder'],
      ['dvr.format', 'File format'],
      ['dvr.recordAll', 'Record every new stream'],
    ],
  },
  {
    title: 'Who may connect',
    intro: 'A publish secret keeps strangers from going live on your server; address rules allow or block machines.',
    keys: [
      ['security.publishSecret', 'Publish secret'],
      ['security.ipRules', 'Address rules'],
    ],
  },
  {
    title: 'Latency',
    intro:
      'Shorter HLS segments mean less delay for viewers, longer ones a steadier picture on slow networks. Low-latency HLS (index.m3u8) plays about two parts behind live.',
    keys: [
      ['hls.fragment', 'HLS segment length'],
      ['hls.window', 'HLS playlist length'],
      ['hls.lowLatency', 'Low-latency HLS'],
      ['hls.partDuration', 'Low-latency HLS part length'],
    ],
  },
];
const BASIC_KEYS = new Set(BASIC.flatMap((g) => g.keys.map(([k]) => k)));

/**
 * Settings from the one config schema: plain-language basics first, every other key under "Advanced" grouped by
 * section, with units, structured editors for lists, the schema's own messages, a "restart" notice only for keys
 * that restart something, plus a raw JSON editor.
 */
export function SettingsPage() {
  const backend = useBackend();
  const [fields, setFields] = useState<SettingsField[]>([]);
  const [values, setValues] = useState<Values>({});
  const [saved, setSavedValues] = useState<Values>({});
  const [problems, setProblems] = useState<SettingsProblem[]>([]);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    void backend.call('getSettings').then((view) => {
      setFields(view.fields);
      setValues(view.values);
      setSavedValues(view.values);
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
    setMessage(undefined);
    validate(next);
  };

  const byKey = useMemo(() => new Map(fields.map((f) => [f.key, f])), [fields]);
  const changed = fields.filter(
    (f) => JSON.stringify(getPath(values, f.key)) !== JSON.stringify(getPath(saved, f.key)),
  );
  const restarts = [...new Set(changed.flatMap((f) => (f.restart ? [f.restart] : [])))];

  const save = async (next: Values) => {
    const result = await backend.call('saveSettings', next);
    setProblems(result.ok ? [] : result.problems);
    if (result.ok) {
      setSavedValues(next);
      setMessage('✓ Saved and applied.');
    } else setMessage(undefined);
  };

  const advanced = useMemo(() => {
    const map = new Map<string, SettingsField[]>();
    for (const f of fields) {
      if (BASIC_KEYS.has(f.key)) continue;
      const group = f.key.includes('.') ? f.key.split('.')[0] : 'general';
      map.set(group, [...(map.get(group) ?? []), f]);
    }
    return [...map];
  }, [fields]);

  const input = (f: SettingsField, label?: string) => (
    <SettingInput
      key={f.key}
      field={f}
      label={label}
      value={getPath(values, f.key)}
      changed={changed.includes(f)}
      problem={problems.find((p) => p.key === f.key || p.key.startsWith(`${f.key}.`))?.message}
      onChange={(v) => change(f.key, v)}
    />
  );

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
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(values);
          }}
        >
          {BASIC.map((group) => (
            <fieldset key={group.title} className="card settings-group basic">
              <legend>{group.title}</legend>
              <p className="group-intro muted">{group.intro}</p>
              {group.keys.map(([key, label]) => {
                const f = byKey.get(key);
                return f ? input(f, label) : null;
              })}
            </fieldset>
          ))}
          <details className="advanced" data-testid="advanced-settings">
            <summary>Advanced settings ({fields.length - BASIC_KEYS.size} more)</summary>
            {advanced.map(([group, list]) => (
              <fieldset key={group} className="card settings-group">
                <legend>{group}</legend>
                {list.map((f) => input(f))}
              </fieldset>
            ))}
          </details>
          <div className="sticky-save">
            {restarts.length > 0 && (
              <ul className="restart-notice" data-testid="restart-notice">
                {restarts.map((r) => (
                  <li key={r}>↻ Saving: {r}</li>
                ))}
              </ul>
            )}
            <div className="row">
              <button type="submit" className="button primary" disabled={problems.length > 0}>
                Save
              </button>
              {message && (
                <span className="ok" role="status">
                  {message}
                </span>
              )}
              {problems.length > 0 && (
                <span className="error">
                  ✕ {problems.length} setting{problems.length === 1 ? '' : 's'} need attention
                </span>
              )}
              {changed.length > 0 && !message && (
                <span className="muted">
                  {changed.length} unsaved change{changed.length === 1 ? '' : 's'}
                </span>
              )}
            </div>
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

function range(field: SettingsField): string | undefined {
  const unit = field.unit ? ` ${field.unit}` : '';
  if (field.minimum !== undefined && field.maximum !== undefined) return `${field.minimum}–${field.maximum}${unit}`;
  if (field.minimum !== undefined) return `at least ${field.minimum}${unit}`;
  return undefined;
}

function SettingInput({
  field,
  label,
  value,
  changed,
  problem,
  onChange,
}: {
  field: SettingsField;
  label?: string;
  value: unknown;
  changed: boolean;
  problem?: string;
  onChange: (v: unknown) => void;
}) {
  const id = `setting-${field.key}`;
  const describedBy = `${id}-hint`;
  let input: ReactElement;
  if (field.type === 'boolean') {
    input = (
      <label className="check">
        <input
          id={id}
          name={field.key}
          type="checkbox"
          checked={value === true}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.checked)}
        />
        {value === true ? 'On' : 'Off'}
      </label>
    );
  } else if (field.type === 'enum') {
    input = (
      <select
        id={id}
        name={field.key}
        value={String(value ?? '')}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      >
        {field.options?.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  } else if (field.type === 'number') {
    input = (
      <span className="with-unit">
        <input
          id={id}
          name={field.key}
          type="number"
          inputMode="decimal"
          value={value === undefined ? '' : String(value)}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
        {field.unit && <span className="unit">{field.unit}</span>}
      </span>
    );
  } else if (field.type === 'list' && field.items?.type === 'object' && field.items.fields) {
    input = (
      <ObjectListEditor field={field} value={Array.isArray(value) ? (value as Values[]) : []} onChange={onChange} />
    );
  } else if (field.type === 'list') {
    input = (
      <StringListEditor field={field} value={Array.isArray(value) ? value.map(String) : []} onChange={onChange} />
    );
  } else {
    input = (
      <input
        id={id}
        name={field.key}
        value={String(value ?? '')}
        spellCheck={false}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  const wide = field.type === 'list';
  return (
    <div className={`setting ${problem ? 'invalid' : ''} ${wide ? 'wide' : ''}`} data-key={field.key}>
      {field.type === 'list' ? (
        <span className="setting-label" id={`${id}-label`}>
          {label ?? field.key.split('.').slice(1).join('.')}
        </span>
      ) : (
        <label htmlFor={id}>{label ?? (field.key.split('.').slice(1).join('.') || field.key)}</label>
      )}
      {input}
      <p className="hint" id={describedBy}>
        {field.description}
        {range(field) && <span className="range"> Allowed: {range(field)}.</span>}
        {label && <span className="key"> ({field.key})</span>}
      </p>
      {changed && field.restart && <p className="restart">↻ {field.restart}</p>}
      {problem && (
        <p className="error" role="alert">
          ✕ {problem}
        </p>
      )}
    </div>
  );
}

/** One text box per item (hook URLs, hosts, origins), with add and remove. */
function StringListEditor({
  field,
  value,
  onChange,
}: {
  field: SettingsField;
  value: string[];
  onChange: (v: unknown) => void;
}) {
  const name = field.key.split('.').pop();
  return (
    <div className="list-editor" data-testid={`list-${field.key}`}>
      {value.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items are edited in place by position.
        <div key={i} className="list-row">
          <input
            name={`${field.key}.${i}`}
            aria-label={`${name} ${i + 1}`}
            value={item}
            spellCheck={false}
            onChange={(e) => onChange(value.map((v, j) => (j === i ? e.target.value : v)))}
          />
          <button
            type="button"
            className="button small"
            aria-label={`Remove ${name} ${i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button small" onClick={() => onChange([...value, ''])}>
        + Add
      </button>
    </div>
  );
}

/** A table of objects (IP rules): one control per item field, add and remove rows. */
function ObjectListEditor({
  field,
  value,
  onChange,
}: {
  field: SettingsField;
  value: Values[];
  onChange: (v: unknown) => void;
}) {
  const columns = field.items?.fields ?? [];
  const blank = () =>
    Object.fromEntries(
      columns.filter((c) => c.type === 'enum' || c.key === 'cidr').map((c) => [c.key, c.options?.[0] ?? '']),
    );
  const update = (i: number, key: string, v: string) =>
    onChange(
      value.map((row, j) => {
        if (j !== i) return row;
        const next = { ...row };
        if (v === '') delete next[key];
        else next[key] = v;
        return next;
      }),
    );
  return (
    <div className="list-editor objects" data-testid={`list-${field.key}`}>
      {value.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key}>{c.key}</th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {value.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position.
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c.key}>
                      {c.type === 'enum' ? (
                        <select
                          aria-label={`Rule ${i + 1} ${c.key}`}
                          value={String(row[c.key] ?? '')}
                          onChange={(e) => update(i, c.key, e.target.value)}
                        >
                          {c.options?.map((o) => (
                            <option key={o}>{o}</option>
                          ))}
                        </select>
                      ) : (
                        <input
                          aria-label={`Rule ${i + 1} ${c.key}`}
                          value={String(row[c.key] ?? '')}
                          placeholder={c.key === 'cidr' ? '192.168.1.0/24' : 'any'}
                          spellCheck={false}
                          onChange={(e) => update(i, c.key, e.target.value)}
                        />
                      )}
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Remove rule ${i + 1}`}
                      onClick={() => onChange(value.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {value.length === 0 && <p className="muted">No rules: everyone on the network may connect.</p>}
      <button type="button" className="button small" onClick={() => onChange([...value, blank()])}>
        + Add rule
      </button>
    </div>
  );
}

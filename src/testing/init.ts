/**
 * `vanguard test --init`: a starter test file from what a server lists through the shim:
 * one case pinning the visible and hidden tools, and one commented call per tool to fill in.
 */

/** What the starter file is written from. */
export interface StarterInput {
  /** The server as given: a `--server` line, or an argv after `--`. */
  server: { line: string } | { argv: string[] };
  /** As it should appear in the file (relative to it), or undefined for the default policy. */
  policy?: string;
  /** The server's working folder relative to the file, when it is not the file's own. */
  cwd?: string;
  /** The tool definitions the client saw, in the server's order. */
  tools: Array<Record<string, unknown>>;
  /** Tools the shim left out of the list. */
  hidden: string[];
}

// A name that YAML reads back as the same string without quotes; anything else is quoted
// as JSON, which YAML reads too.
function scalar(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value) ? value : JSON.stringify(value);
}

function flowList(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

// A placeholder of the right type for each required argument, so the call only needs values.
function placeholder(schema: unknown): string {
  const type = schema !== null && typeof schema === 'object' ? (schema as { type?: unknown }).type : undefined;
  switch (Array.isArray(type) ? type[0] : type) {
    case 'number':
    case 'integer':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    default:
      return '""';
  }
}

function argumentsOf(tool: Record<string, unknown>): string {
  const schema = tool.inputSchema as { properties?: Record<string, unknown>; required?: unknown } | undefined;
  const required = Array.isArray(schema?.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  return `{ ${required.map((name) => `${scalar(name)}: ${placeholder(schema?.properties?.[name])}`).join(', ')} }`.replace('{  }', '{}');
}

/** The text of the starter file. */
export function renderStarterFile(input: StarterInput): string {
  const names = input.tools.map((t) => String(t.name));
  const server = 'line' in input.server ? `server: ${JSON.stringify(input.server.line)}` : `command: ${flowList(input.server.argv)}`;
  const lines = [
    '# A Vanguard test file, written by `vanguard test --init` from the server\'s tool list.',
    '# Run it with `vanguard test <this file>`; its format is policies/test-schema.json.',
    server,
    ...(input.policy !== undefined ? [`policy: ${scalar(input.policy)}`] : []),
    ...(input.cwd !== undefined ? [`cwd: ${scalar(input.cwd)}`] : []),
    'cases:',
    '  - name: the tool list is as reviewed',
    '    expect:',
    `      visible: ${flowList(names)}`,
    ...(input.hidden.length > 0 ? [`      hidden: ${flowList([...input.hidden].sort())}`] : []),
    '',
    '  # One call per tool: uncomment, fill in the arguments, and say what must come back',
    '  # (verdict: allowed | blocked | unknown | error; rule, contains, notContains, redacted).',
  ];
  for (const tool of input.tools) {
    const name = String(tool.name);
    lines.push(
      `  # - name: ${scalar(`call ${name}`)}`,
      `  #   call: { tool: ${scalar(name)}, arguments: ${argumentsOf(tool)} }`,
      '  #   expect: { verdict: allowed }',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A checker of the properties SARIF 2.1.0 requires (and the enums and cross-references it
 * fixes) for the parts of a log Vanguard writes: written from the specification's schema,
 * so no schema is fetched. Returns every problem as `path: what`; empty means well formed.
 */
type Json = Record<string, unknown>;

const LEVELS = ['none', 'note', 'warning', 'error'];
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function message(value: unknown, at: string, problems: string[]): void {
  if (!isObject(value)) return void problems.push(`${at}: must be an object`);
  // message: anyOf text / id.
  if (typeof value.text !== 'string' && typeof value.id !== 'string') problems.push(`${at}: needs "text" or "id"`);
}

function multiformat(value: unknown, at: string, problems: string[]): void {
  if (value === undefined) return;
  if (!isObject(value) || typeof value.text !== 'string') problems.push(`${at}: multiformatMessageString needs "text"`);
}

function descriptor(rule: unknown, at: string, problems: string[]): void {
  if (!isObject(rule)) return void problems.push(`${at}: must be an object`);
  if (typeof rule.id !== 'string') problems.push(`${at}.id: required string`);
  for (const field of ['shortDescription', 'fullDescription', 'help']) multiformat(rule[field], `${at}.${field}`, problems);
  const config = rule.defaultConfiguration;
  if (config !== undefined) {
    if (!isObject(config)) problems.push(`${at}.defaultConfiguration: must be an object`);
    else if (config.level !== undefined && !LEVELS.includes(config.level as string)) problems.push(`${at}.defaultConfiguration.level: not one of ${LEVELS.join(', ')}`);
  }
}

function result(value: unknown, at: string, rules: Json[], problems: string[]): void {
  if (!isObject(value)) return void problems.push(`${at}: must be an object`);
  message(value.message, `${at}.message`, problems);
  if (value.level !== undefined && !LEVELS.includes(value.level as string)) problems.push(`${at}.level: not one of ${LEVELS.join(', ')}`);
  if (value.ruleIndex !== undefined) {
    if (!Number.isInteger(value.ruleIndex) || (value.ruleIndex as number) < -1) problems.push(`${at}.ruleIndex: integer >= -1`);
    // §3.27.6: when both are present, the rule at ruleIndex has the result's ruleId.
    else if (value.ruleId !== undefined && rules[value.ruleIndex as number]?.id !== value.ruleId) problems.push(`${at}.ruleIndex: rules[${String(value.ruleIndex)}] is not "${String(value.ruleId)}"`);
  }
  if (value.locations !== undefined) {
    if (!Array.isArray(value.locations)) problems.push(`${at}.locations: must be an array`);
    else
      value.locations.forEach((location, i) => {
        if (!isObject(location)) return void problems.push(`${at}.locations[${i}]: must be an object`);
        const physical = location.physicalLocation;
        if (physical !== undefined) {
          // physicalLocation: anyOf address / artifactLocation; a region's lines start at 1.
          if (!isObject(physical) || (!isObject(physical.artifactLocation) && !isObject(physical.address))) problems.push(`${at}.locations[${i}].physicalLocation: needs "artifactLocation" or "address"`);
          else if (isObject(physical.region) && physical.region.startLine !== undefined && !(Number.isInteger(physical.region.startLine) && (physical.region.startLine as number) >= 1)) {
            problems.push(`${at}.locations[${i}].physicalLocation.region.startLine: integer >= 1`);
          }
        }
        const logical = location.logicalLocations;
        if (logical !== undefined && (!Array.isArray(logical) || logical.some((l) => !isObject(l)))) problems.push(`${at}.locations[${i}].logicalLocations: array of objects`);
      });
  }
  if (value.partialFingerprints !== undefined && (!isObject(value.partialFingerprints) || Object.values(value.partialFingerprints).some((v) => typeof v !== 'string'))) {
    problems.push(`${at}.partialFingerprints: an object of strings`);
  }
}

/** The problems of a SARIF 2.1.0 log; none when it has every required property. */
export function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(log)) return ['$: must be an object'];
  if (log.version !== '2.1.0') problems.push('$.version: must be "2.1.0"');
  if (!Array.isArray(log.runs)) return [...problems, '$.runs: required array'];
  log.runs.forEach((run, r) => {
    const at = `$.runs[${r}]`;
    if (!isObject(run)) return void problems.push(`${at}: must be an object`);
    const driver = isObject(run.tool) ? run.tool.driver : undefined;
    if (!isObject(run.tool)) problems.push(`${at}.tool: required object`);
    else if (!isObject(driver)) problems.push(`${at}.tool.driver: required object`);
    else if (typeof driver.name !== 'string') problems.push(`${at}.tool.driver.name: required string`);
    const rules = isObject(driver) && Array.isArray(driver.rules) ? (driver.rules as Json[]) : [];
    if (isObject(driver) && driver.rules !== undefined && !Array.isArray(driver.rules)) problems.push(`${at}.tool.driver.rules: must be an array`);
    rules.forEach((rule, i) => descriptor(rule, `${at}.tool.driver.rules[${i}]`, problems));
    if (new Set(rules.map((rule) => rule.id)).size !== rules.length) problems.push(`${at}.tool.driver.rules: ids must be unique`);
    if (run.results !== undefined && !Array.isArray(run.results)) problems.push(`${at}.results: must be an array`);
    if (Array.isArray(run.results)) run.results.forEach((res, i) => result(res, `${at}.results[${i}]`, rules, problems));
  });
  return problems;
}

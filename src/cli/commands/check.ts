/** `vanguard check [POLICY]`: validate and print the effective policy, or every error. */
import { formatIssue, loadPolicy, nodePolicyIO, renderEffectivePolicy } from '../../config/index.js';

/** Returns the exit code: 0 valid, 1 invalid. */
export async function checkCommand(file: string | undefined): Promise<number> {
  const result = loadPolicy(file, nodePolicyIO());
  for (const warning of result.warnings) process.stderr.write(`${formatIssue(warning)}\n`);
  if (result.errors.length > 0 || !result.effective) {
    for (const error of result.errors) process.stderr.write(`${formatIssue(error)}\n`);
    process.stderr.write(`${result.errors.length} error(s); the policy was not loaded\n`);
    return 1;
  }
  // The policy's own rule packs are checked too (the shipped ones are checked by the build).
  if (result.compiled && result.compiled.inspection.rulePacks.length > 0) {
    const { policyRules } = await import('../../inspect/build.js');
    const rules = policyRules(result.compiled);
    if (rules.issues.length > 0) {
      for (const issue of rules.issues) process.stderr.write(`${issue.file}:${issue.line}:${issue.col}: ${issue.message}\n`);
      process.stderr.write(`${rules.issues.length} error(s) in rule packs; the policy was not loaded\n`);
      return 1;
    }
  }
  process.stdout.write(renderEffectivePolicy(result.effective)); // stdout-ok: check prints the policy
  return 0;
}

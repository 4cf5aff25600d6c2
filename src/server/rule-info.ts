/**
 * A rule as the browser sees it (GET /api/rules): `type` tells the report view what each of a finding's figures is.
 * In a module of its own, importing nothing, because the browser build takes this type from its declaration in dist/.
 */
export interface RuleInfo {
  ruleId: string;
  type: string;
  name: string | null;
  severity: string;
  description: string;
}

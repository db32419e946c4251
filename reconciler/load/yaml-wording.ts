/**
 * The `yaml` package's parse errors said in lab's words, each with a fix where one is known.
 * The package gives a code per error; one code covers several problems, which only its message
 * tells apart, so each rule matches the package's message. yaml-wording.test.ts feeds every rule
 * a real input, so a message changed by a new version of the package fails there.
 */
import { LAYOUT_RULES } from "./yaml-layout-rules.js";
import { TOKEN_RULES } from "./yaml-token-rules.js";
import { notYaml, type Worded, type YamlProblem } from "./yaml-words.js";

export type { Worded, YamlProblem } from "./yaml-words.js";

export const WORDING_RULES = [...LAYOUT_RULES, ...TOKEN_RULES];

/** The index of the rule that words a problem (the first whose codes and message match), or -1. */
export function wordingRuleFor(p: YamlProblem): number {
  return WORDING_RULES.findIndex(
    (rule) => rule.codes.includes(p.code) && (!rule.match || rule.match.test(p.message)),
  );
}

/** lab's words for one problem; a problem no rule knows is described by where it is. */
export function wordYamlProblem(p: YamlProblem): Worded {
  const rule = WORDING_RULES[wordingRuleFor(p)];
  return rule ? rule.say(p, rule.match?.exec(p.message) ?? []) : notYaml(p);
}

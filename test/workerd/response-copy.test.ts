/** The copy rule of a whole response body inside workerd (see test/support/copy-rule.ts). */
import { copyRuleTests } from "../support/copy-rule.ts";

copyRuleTests("workerd");

"use server";
// The holder-code search of the licence table: the code is posted here and only its keyed SM3 hash
// goes back into the URL (?h=), so the full code never lands in an address bar, a history entry
// or a log.
import { action } from "@/lib/action";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { holderCodeHash } from "@/lib/licenses/holders";
import { holderCodeSearch } from "@/lib/licenses/list-schema";
import { canListLicences } from "@/lib/licenses/queries";

export const holderCodeFilterAction = action({ permission: "authenticated", schema: holderCodeSearch }, (actor, input) => {
  if (!canListLicences(actor)) throw new AppError("FORBIDDEN", t.errors.forbidden);
  return Promise.resolve({ h: holderCodeHash(input.code) });
});

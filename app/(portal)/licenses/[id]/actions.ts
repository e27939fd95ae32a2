"use server";
// Lifecycle actions on one licence (L-08): thin — authorise, parse with the shared schema, call the
// service, which re-checks the department scope and the status and makes the conditional update.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { changeLicence, pledgeLicence, releasePledge, renewLicence, transitionLicence } from "@/lib/licenses/lifecycle";
import { changeInput, pledgeInput, releasePledgeInput, renewInput, transitionInput } from "@/lib/licenses/lifecycle-schema";

function done<T>(r: T, ...ids: string[]): T {
  revalidatePath("/licenses");
  for (const id of ids) revalidatePath(`/licenses/${id}`);
  return r;
}

/** 暂扣 / 恢复 / 吊销 / 注销 / 撤销(废止) */
export const transitionAction = action({ permission: "licence.issue", schema: transitionInput }, async (a, i) => done(await transitionLicence(a, i), i.licenceId));

/** 质押 */
export const pledgeAction = action({ permission: "licence.issue", schema: pledgeInput }, async (a, i) => done(await pledgeLicence(a, i), i.licenceId));

/** 解除质押 */
export const releasePledgeAction = action({ permission: "licence.issue", schema: releasePledgeInput }, async (a, i) => done(await releasePledge(a, i), i.licenceId));

/** 延续: a new version; the page then shows the successor */
export const renewAction = action({ permission: "licence.issue", schema: renewInput }, async (a, i) => {
  const r = await renewLicence(a, i);
  return done(r, i.licenceId, r.id);
});

/** 变更: a new version with the new face */
export const changeAction = action({ permission: "licence.issue", schema: changeInput }, async (a, i) => {
  const r = await changeLicence(a, i);
  return done(r, i.licenceId, r.id);
});

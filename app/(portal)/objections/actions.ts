"use server";
// Objection actions (O-01 … O-06): thin — authorise, parse with the shared schema, call the
// service, which checks the department scope and makes the conditional update with its event and
// audit. Each is a public POST endpoint: none trusts the page that showed its button.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { formText, uploadAction } from "@/lib/upload-action";
import {
  correctInput,
  deptObjectionInput,
  EVIDENCE_LIMITS,
  forwardInput,
  markInput,
  resolveInput,
  returnInput,
  withdrawInput,
} from "@/lib/objections/schema";
import {
  correctObjection,
  forwardObjection,
  markObjection,
  resolveObjection,
  returnObjection,
  submitByDept,
  withdrawByDept,
} from "@/lib/objections/service";

function done<T>(r: T, id?: string, ...licenceIds: string[]): T {
  revalidatePath("/objections");
  if (id) revalidatePath(`/objections/${id}`);
  revalidatePath("/licenses");
  for (const l of licenceIds) revalidatePath(`/licenses/${l}`);
  return r;
}

/** The chosen fields travel as one JSON form value next to the evidence files. */
function jsonField(fd: FormData, name: string): unknown {
  const raw = formText(fd, name);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** 提出异议 by a using department's operator (O-01), with up to 5 evidence files. */
export const submitObjectionAction = uploadAction(
  {
    permission: "licence.use",
    schema: deptObjectionInput,
    fields: (fd) => ({ licenceId: formText(fd, "licenceId"), fields: jsonField(fd, "fields"), description: formText(fd, "description") }),
    field: "evidence",
    minFiles: 0,
    maxFiles: EVIDENCE_LIMITS.maxFiles,
    maxBytes: EVIDENCE_LIMITS.maxBytes,
    allowed: EVIDENCE_LIMITS.allowed,
  },
  async (a, i, files) => done(await submitByDept(a, i, files), undefined, i.licenceId),
);

/** 异议标注 (O-02) */
export const markAction = action({ permission: "licence.issue", schema: markInput }, async (a, i) => done(await markObjection(a, i), i.id));

/** 办结: 数据无误 / 不予采纳 (O-03) */
export const resolveAction = action({ permission: "licence.issue", schema: resolveInput }, async (a, i) => done(await resolveObjection(a, i), i.id));

/** 更正 (O-03): a 变更 of the licence; answers the new version's id */
export const correctAction = action({ permission: "licence.issue", schema: correctInput }, async (a, i) => {
  const r = await correctObjection(a, i);
  return done(r, i.id, r.licenceId);
});

/** 转办 (O-06): the province hands a cross-region objection to the issuing department */
export const forwardAction = action({ permission: "objection.route", schema: forwardInput }, async (a, i) => done(await forwardObjection(a, i), i.id));

/** 反馈 (O-06): the province returns the result to the applicant */
export const returnAction = action({ permission: "objection.route", schema: returnInput }, async (a, i) => done(await returnObjection(a, i), i.id));

/** 撤回 by the applicant department, before resolution */
export const withdrawAction = action({ permission: "licence.use", schema: withdrawInput }, async (a, i) => done(await withdrawByDept(a, i), i.id));

// The editor's form shape: one form for a new type (typeCode, owner) and for an existing one
// (typeId, rev); the resolver is typeCreateSchema or typeUpdateSchema, which drop the other keys.
import type { z } from "zod";
import type { Control, FieldErrors, UseFormRegister, UseFormSetValue } from "react-hook-form";
import type { typeContent, TypeContent } from "@/lib/catalog/schema";

export type ContentIn = z.input<typeof typeContent>;
export type FormValues = { typeCode: string; ownerDeptId: string; typeId: string; rev: number; content: ContentIn };
export type FormOut = { typeCode: string; ownerDeptId: string; typeId: string; rev: number; content: TypeContent };

export type FormBits = {
  control: Control<FormValues, unknown, FormOut>;
  register: UseFormRegister<FormValues>;
  setValue: UseFormSetValue<FormValues>;
  errors: FieldErrors<FormValues>;
};

export type TabKey = "basic" | "face" | "template" | "versions" | "history";

export const errStyle = { display: "block", color: "var(--danger)", fontSize: 12, fontStyle: "normal", marginTop: 2 } as const;
export const plain = { border: 0, padding: 0, margin: 0, minWidth: 0 } as const;

/** An error message at any depth (arrays report on themselves or under `root`). */
export function messageOf(e: unknown): string | undefined {
  const x = e as { message?: string; root?: { message?: string } } | undefined;
  return x?.message ?? x?.root?.message;
}

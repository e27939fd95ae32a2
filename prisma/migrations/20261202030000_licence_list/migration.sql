-- The licence table at a million rows (issue 6, U-02 / L-05; lib/licenses/queries.ts,
-- bench/licence-list). The list pages by keyset on (sort key, id) for three sort keys — issue
-- instant, validity end, licence number — and counts at most 10,001 rows, so every filter and sort
-- needs an index that yields its rows already in order:
--   * one per sort key for the whole province;
--   * one per sort key led by the issuing department (an issuer operator's every query), by status,
--     and, for the validity end, by type (a long-term type's licences all sort last);
--   * date columns, the holder's name (byte order, for prefix search) and, on the department
--     indexes, status, type and pledge as trailing key columns: a condition on them is checked
--     inside the index, so rows that do not match are passed over without reading the table (an
--     issue-date range under the expiry order, say, or a surname under the number order, whose
--     matches lie far from the start of the order; and the count of a department's rows).
-- The validity end sorts and filters as COALESCE("validTo", 'infinity'): a long-term (长期) licence
-- has no end date and sorts after every date. The indexes with that expression also carry the
-- column itself (INCLUDE): PostgreSQL reads an expression from an index without the table only
-- when the columns under it are there too (a count over an expiry range stays in the index).
-- The two indexes these replace were their own leading columns.

DROP INDEX "Licence_issuedAt_id_idx";
DROP INDEX "Licence_issuerDeptId_issuedAt_id_idx";

-- whole province
CREATE INDEX "Licence_list_issuedAt" ON "Licence" ("issuedAt", "id", (COALESCE("validTo", 'infinity'::date))) INCLUDE ("validTo");
CREATE INDEX "Licence_list_validTo" ON "Licence" ((COALESCE("validTo", 'infinity'::date)), "id", "issuedAt", "holderName" COLLATE "C") INCLUDE ("validTo");
CREATE INDEX "Licence_list_number" ON "Licence" ("licenceNumber", "id", "issuedAt", (COALESCE("validTo", 'infinity'::date)), "holderName" COLLATE "C") INCLUDE ("validTo");

-- by issuing department
CREATE INDEX "Licence_list_dept_issuedAt" ON "Licence" ("issuerDeptId", "issuedAt", "id", (COALESCE("validTo", 'infinity'::date)), "status", "typeId", "restricted", "holderName" COLLATE "C") INCLUDE ("validTo");
CREATE INDEX "Licence_list_dept_validTo" ON "Licence" ("issuerDeptId", (COALESCE("validTo", 'infinity'::date)), "id", "issuedAt", "status", "typeId", "restricted", "holderName" COLLATE "C") INCLUDE ("validTo");
CREATE INDEX "Licence_list_dept_number" ON "Licence" ("issuerDeptId", "licenceNumber", "id", "issuedAt", (COALESCE("validTo", 'infinity'::date)), "status", "typeId", "restricted", "holderName" COLLATE "C") INCLUDE ("validTo");

-- by status
CREATE INDEX "Licence_list_status_issuedAt" ON "Licence" ("status", "issuedAt", "id", (COALESCE("validTo", 'infinity'::date))) INCLUDE ("validTo");
CREATE INDEX "Licence_list_status_validTo" ON "Licence" ("status", (COALESCE("validTo", 'infinity'::date)), "id", "issuedAt") INCLUDE ("validTo");
CREATE INDEX "Licence_list_status_number" ON "Licence" ("status", "licenceNumber", "id", "issuedAt", (COALESCE("validTo", 'infinity'::date))) INCLUDE ("validTo");

-- by type (issue instant: Licence_typeId_issuedAt_id_idx; number: Licence_typeId_licenceNumber_key)
CREATE INDEX "Licence_list_type_validTo" ON "Licence" ("typeId", (COALESCE("validTo", 'infinity'::date)), "id", "issuedAt") INCLUDE ("validTo");

-- pledged (质押) licences are few: found through their own small index
CREATE INDEX "Licence_list_pledged" ON "Licence" ("issuedAt", "id") WHERE "restricted";

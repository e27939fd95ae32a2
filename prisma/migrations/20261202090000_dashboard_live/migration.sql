-- The ranking's data completeness (V-01) is the share of a department's live licences without a
-- finding: the licence summary also counts those live (VALID or SUSPENDED) at the rebuild.
ALTER TABLE "StatLicenceMonth" ADD COLUMN "live" INTEGER NOT NULL DEFAULT 0;

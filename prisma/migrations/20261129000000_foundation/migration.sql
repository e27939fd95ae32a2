-- CreateEnum
CREATE TYPE "DeptLevel" AS ENUM ('PROVINCE', 'CITY', 'COUNTY');
CREATE TYPE "DeptKind" AS ENUM ('AGENCY', 'INSTITUTION', 'OTHER');
CREATE TYPE "RecordStatus" AS ENUM ('ACTIVE', 'DISABLED');
CREATE TYPE "Role" AS ENUM ('SYSTEM_ADMIN', 'SECURITY_ADMIN', 'AUDIT_ADMIN', 'CATALOG_ADMIN', 'ISSUER_OPERATOR', 'USING_OPERATOR', 'SEAL_APPLICANT', 'SEAL_APPROVER', 'SEAL_CUSTODIAN', 'SEAL_MAKER_REVIEWER', 'SUPERVISOR');
CREATE TYPE "RoleScope" AS ENUM ('OWN', 'SUBTREE', 'PROVINCE');
CREATE TYPE "LoginResult" AS ENUM ('SUCCESS', 'BAD_CREDENTIALS', 'LOCKED', 'IP_BLOCKED', 'DISABLED', 'INVALID_INPUT');

-- CreateTable
CREATE TABLE "Department" (
    "id" UUID NOT NULL,
    "parentId" UUID,
    "path" TEXT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "areaCode" CHAR(6) NOT NULL,
    "level" "DeptLevel" NOT NULL,
    "kind" "DeptKind" NOT NULL,
    "isIssuing" BOOLEAN NOT NULL DEFAULT false,
    "isUsing" BOOLEAN NOT NULL DEFAULT false,
    "isManagement" BOOLEAN NOT NULL DEFAULT false,
    "isSealMaking" BOOLEAN NOT NULL DEFAULT false,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "status" "RecordStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Department_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "DepartmentStaff" (
    "id" UUID NOT NULL,
    "departmentId" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "duty" VARCHAR(100) NOT NULL,
    "phone" VARCHAR(30),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DepartmentStaff_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "username" VARCHAR(50) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "departmentId" UUID NOT NULL,
    "phone" VARCHAR(30),
    "email" VARCHAR(100),
    "passwordHash" TEXT NOT NULL,
    "passwordChangedAt" TIMESTAMPTZ(3) NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT true,
    "status" "RecordStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PasswordHistory" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PasswordHistory_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "UserRole" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "scope" "RoleScope" NOT NULL,
    "grantedById" UUID,
    "grantedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "UserRole_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "UserSession" (
    "id" VARCHAR(64) NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "endReason" VARCHAR(30),
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(500),
    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LoginAttempt" (
    "id" BIGSERIAL NOT NULL,
    "username" VARCHAR(100) NOT NULL,
    "userId" UUID,
    "result" "LoginResult" NOT NULL,
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(500),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LoginAttempt_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LoginLock" (
    "key" VARCHAR(150) NOT NULL,
    "lockedAt" TIMESTAMPTZ(3) NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3) NOT NULL,
    "unlockedAt" TIMESTAMPTZ(3),
    CONSTRAINT "LoginLock_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "SecurityPolicy" (
    "id" INTEGER NOT NULL,
    "lockoutThreshold" INTEGER NOT NULL DEFAULT 5,
    "lockoutWindowMinutes" INTEGER NOT NULL DEFAULT 30,
    "lockoutMinutes" INTEGER NOT NULL DEFAULT 30,
    "ipThreshold" INTEGER NOT NULL DEFAULT 30,
    "idleTimeoutMinutes" INTEGER NOT NULL DEFAULT 30,
    "absoluteLifetimeHours" INTEGER NOT NULL DEFAULT 12,
    "passwordExpiryDays" INTEGER NOT NULL DEFAULT 90,
    "passwordMinLength" INTEGER NOT NULL DEFAULT 10,
    "passwordHistoryCount" INTEGER NOT NULL DEFAULT 5,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SecurityPolicy_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AuditEvent" (
    "seq" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "actorRole" VARCHAR(200) NOT NULL,
    "actorDept" VARCHAR(100) NOT NULL,
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(500),
    "action" VARCHAR(60) NOT NULL,
    "targetType" VARCHAR(40) NOT NULL,
    "targetId" VARCHAR(100),
    "detail" JSONB NOT NULL,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Department_uscc_key" ON "Department"("uscc");
CREATE INDEX "Department_parentId_idx" ON "Department"("parentId");
CREATE INDEX "Department_path_idx" ON "Department"("path");
CREATE INDEX "DepartmentStaff_departmentId_idx" ON "DepartmentStaff"("departmentId");
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE INDEX "User_departmentId_idx" ON "User"("departmentId");
CREATE INDEX "PasswordHistory_userId_createdAt_idx" ON "PasswordHistory"("userId", "createdAt");
CREATE UNIQUE INDEX "UserRole_userId_role_key" ON "UserRole"("userId", "role");
CREATE INDEX "UserSession_userId_endedAt_idx" ON "UserSession"("userId", "endedAt");
CREATE INDEX "LoginAttempt_username_createdAt_idx" ON "LoginAttempt"("username", "createdAt");
CREATE INDEX "LoginAttempt_ip_createdAt_idx" ON "LoginAttempt"("ip", "createdAt");
CREATE INDEX "LoginAttempt_createdAt_idx" ON "LoginAttempt"("createdAt");
CREATE INDEX "AuditEvent_time_idx" ON "AuditEvent"("time");
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- AddForeignKey
ALTER TABLE "Department" ADD CONSTRAINT "Department_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "DepartmentStaff" ADD CONSTRAINT "DepartmentStaff_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "User" ADD CONSTRAINT "User_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "PasswordHistory" ADD CONSTRAINT "PasswordHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Audit trail is append-only (A-01): refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"();

-- Three-role separation (三员分立, P-04) also holds in the database.
CREATE FUNCTION "user_role_separation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."role" IN ('SYSTEM_ADMIN', 'SECURITY_ADMIN', 'AUDIT_ADMIN') THEN
    -- serialise concurrent grants to one user, so two at once cannot both pass the check
    PERFORM 1 FROM "User" WHERE "id" = NEW."userId" FOR UPDATE;
  END IF;
  IF NEW."role" IN ('SYSTEM_ADMIN', 'SECURITY_ADMIN', 'AUDIT_ADMIN') AND EXISTS (
    SELECT 1 FROM "UserRole" r WHERE r."userId" = NEW."userId" AND r."id" <> NEW."id"
      AND r."role" IN ('SYSTEM_ADMIN', 'SECURITY_ADMIN', 'AUDIT_ADMIN') AND r."role" <> NEW."role"
  ) THEN
    RAISE EXCEPTION 'separation of duties: a user may hold only one of the three administrator roles' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "UserRole_separation" BEFORE INSERT OR UPDATE ON "UserRole"
  FOR EACH ROW EXECUTE FUNCTION "user_role_separation"();

INSERT INTO "SecurityPolicy" ("id") VALUES (1);

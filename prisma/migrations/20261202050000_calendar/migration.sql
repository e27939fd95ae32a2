-- The working-day calendar (O-04, issue 7): statutory holidays and adjusted working days kept by
-- the system administrator, and the years whose official schedule is loaded.

-- CreateTable
CREATE TABLE "Holiday" (
    "date" DATE NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "source" VARCHAR(10) NOT NULL,
    "updatedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Holiday_pkey" PRIMARY KEY ("date"),
    CONSTRAINT "Holiday_kind_check" CHECK ("kind" IN ('HOLIDAY', 'WORKDAY'))
);

-- CreateTable
CREATE TABLE "CalendarYear" (
    "year" INTEGER NOT NULL,
    "source" VARCHAR(10) NOT NULL,
    "note" VARCHAR(200),
    "updatedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "CalendarYear_pkey" PRIMARY KEY ("year")
);

-- hand-written: a WABA is listed from its first delivery of any field, not only from its first account_update. WABAs whose numbers were stored before this version are listed now, CONNECTED (the column's default), as their first delivery would have listed them.
INSERT INTO "Waba" ("wabaId", "createdAt", "updatedAt")
SELECT "wabaId", MIN("createdAt"), MAX("updatedAt") FROM "PhoneNumber" AS "p"
WHERE NOT EXISTS (SELECT 1 FROM "Waba" AS "w" WHERE "w"."wabaId" = "p"."wabaId")
GROUP BY "wabaId";
-- end hand-written

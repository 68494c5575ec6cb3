import type { AlertSeverity, InactivityLevel, MessagingLimitTier, TemplateCategory, TemplateQuality, TemplateStatus } from "../generated/graphql.ts";
import type { Tone } from "../words.ts";

/** The operators' signals in plain words and tones (docs/account-signals.md has the rules behind them). */

const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replaceAll("_", " ");

/** A status, category or score the server decoded; one this version does not know (OTHER) reads "other". */
export const codeWords = (code: string | null | undefined, none = "unknown") => (code ? words(code) : none);

export const TEMPLATE_STATUS_TONES: Record<TemplateStatus, Tone> = {
  APPROVED: "ok",
  REINSTATED: "ok",
  UNARCHIVED: "ok",
  LOCKED: "ok",
  FLAGGED: "warn",
  PENDING: "warn",
  IN_APPEAL: "warn",
  OTHER: "warn",
  PAUSED: "bad",
  DISABLED: "bad",
  REJECTED: "bad",
  ARCHIVED: "bad",
  PENDING_DELETION: "bad",
  DELETED: "bad",
  LIMIT_EXCEEDED: "bad",
};

export const QUALITY_TONES: Record<TemplateQuality, Tone> = { GREEN: "ok", UNKNOWN: "ok", YELLOW: "warn", OTHER: "warn", RED: "bad" };

export const CATEGORY_WORDS: Record<TemplateCategory, string> = {
  MARKETING: "Marketing",
  UTILITY: "Utility",
  AUTHENTICATION: "Authentication",
  OTHER: "Other",
};

export const SEVERITY_TONES: Record<AlertSeverity, Tone> = { CRITICAL: "bad", WARNING: "warn", INFORMATIONAL: "ok", OTHER: "warn" };

export const INACTIVITY_TONES: Record<InactivityLevel, Tone> = { OK: "ok", WARN: "warn", CRITICAL: "bad" };

export const INACTIVITY_WORDS: Record<InactivityLevel, string> = {
  OK: "App in use",
  WARN: "App idle: warn the business",
  CRITICAL: "App idle: cut-off near",
};

const LIMIT_WORDS: Record<MessagingLimitTier, string> = {
  TIER_NOT_SET: "not set yet",
  TIER_50: "50 users / 24 h",
  TIER_250: "250 users / 24 h",
  TIER_1K: "1,000 users / 24 h",
  TIER_2K: "2,000 users / 24 h",
  TIER_10K: "10,000 users / 24 h",
  TIER_100K: "100,000 users / 24 h",
  TIER_UNLIMITED: "unlimited",
  OTHER: "a tier this version does not know",
};

export const limitWords = (tier: MessagingLimitTier | null | undefined) => (tier ? LIMIT_WORDS[tier] : "unknown");

"""Rates and code distributions of the simulation, set from England's published figures
(data/targets.yaml, docs/calibration.md). Codes follow the DfE lists (the 2024 CIN census XSD for CIN
codes, the SSDA903 guidance for 903 codes); shares are rounded national shapes, not uniform."""

from __future__ import annotations

from cscperf.synth.draw import Dist

# --- arrivals (per 10,000 children aged 0-17 per year) ---
NEW_CHILD_REFERRALS_PER_10K = 292.0  # first referrals of a child new to the simulation; re-referrals add the rest
UASC_ARRIVALS_PER_10K = 1.6
EXTRA_CONTACTS_PER_REFERRAL = 1.9  # contacts that do not become referrals
RE_REFERRAL_CHANCE = 0.44  # after a CIN episode closes, the child is referred again some day
RE_REFERRAL_WITHIN_YEAR = 0.62  # ... and of those, within 12 months of the previous referral
REPEAT_BOOST = 1.6  # a child who had a CP plan: more likely re-referred, enquired into and conferenced
BURN_IN_YEARS = 5  # simulated before the window so stocks (CLA, CP) are in steady state

# Month-of-year seasonality of referrals (school holidays low, autumn high), mean 1.
SEASON = (1.02, 1.0, 1.06, 0.95, 1.03, 1.02, 1.0, 0.78, 1.02, 1.12, 1.08, 0.92)

AGE_AT_REFERRAL = Dist({"0": 11, "1-4": 19, "5-9": 23, "10-15": 34, "16-17": 13})
AGE_SPAN = {"0": (0, 364), "1-4": (365, 5 * 365), "5-9": (5 * 365 + 1, 10 * 365), "10-15": (10 * 365 + 3, 16 * 365), "16-17": (16 * 365 + 4, 18 * 365 - 30)}
SEX = Dist({"1": 51.5, "2": 48.3, "0": 0.2})
ETHNICITY = Dist({
    "WBRI": 64, "WIRI": 0.4, "WIRT": 0.3, "WOTH": 5.5, "WROM": 0.6, "MWBC": 2.4, "MWBA": 1.2, "MWAS": 1.6,
    "MOTH": 3.6, "AIND": 1.2, "APKN": 2.6, "ABAN": 1.1, "AOTH": 1.6, "BCRB": 1.3, "BAFR": 4.1,
    "BOTH": 1.4, "CHNE": 0.2, "OOTH": 3.5, "REFU": 0.4, "NOBT": 3.0,
})
DISABILITY = Dist({"MOB": 10, "HAND": 3, "PC": 8, "INC": 4, "COMM": 18, "LD": 26, "HEAR": 4, "VIS": 4, "BEH": 14, "CON": 2, "AUT": 30, "DDA": 6})
DISABLED_SHARE = 0.11

# CIN census 2024 XSD meanings (1A family member ... 5D early help).
REFERRAL_SOURCE = Dist({
    "6": 29.5, "2A": 20.4, "3A": 3.0, "3B": 2.3, "3C": 0.6, "3D": 2.1, "3E": 2.7, "3F": 3.7,
    "5A": 5.2, "5B": 2.6, "5C": 1.3, "5D": 2.0, "1A": 5.3, "1B": 0.7, "1C": 1.0, "1D": 0.4,
    "2B": 1.0, "4": 1.6, "7": 2.7, "8": 4.7, "9": 1.1, "10": 1.9,
})
PRIMARY_NEED = Dist({"N1": 57, "N2": 3, "N3": 4, "N4": 9, "N5": 17, "N6": 3, "N7": 0.5, "N8": 3.5, "N0": 3})

NFA_AT_REFERRAL = 0.065
ASSESSED = 0.965  # of referrals that are not NFA
NOT_IN_NEED = 0.33  # of assessments (DfE: 30.8% of referrals assessed as not in need)
S47_PER_REFERRAL = 0.36
S47_TO_ICPC = 0.30
S47_OTHER_OUTCOME = Dist({"no_icpc_cin": 50, "unsubstantiated": 38, "nfa": 12})
ICPC_TO_PLAN = 0.88
ASSESSMENT_45WD = 0.857
ICPC_15WD = 0.85

FACTORS = Dist({
    "3B": 16, "4B": 17, "3A": 11, "16A": 9, "17A": 9, "4A": 9, "1B": 7, "2B": 7, "5B": 3, "6B": 2,
    "3C": 2.5, "14A": 3, "18C": 3, "18B": 0.8, "19C": 1.3, "19B": 1.0, "24A": 1.7, "11A": 1.2, "10A": 1.5,
    "5A": 2.5, "6A": 1.6, "2A": 1.5, "1A": 0.7, "15A": 1.6, "7A": 0.4, "9A": 0.8, "13A": 0.8, "2C": 1.0,
    "1C": 0.4, "4C": 1.0, "20": 3.4, "12A": 0.2, "22A": 0.1, "23A": 0.1,
})
ABUSE_CATEGORY = Dist({"NEG": 49, "EMO": 37, "PHY": 7, "SAB": 4, "MUL": 3})
CONTACT_OUTCOME = Dist({"information_advice": 38, "early_help": 24, "nfa": 33, "other": 5})

# CP plan length: lognormal, ~2-3% open at 2 years (d5), mean ~0.8 years (stock / starts).
CP_MEDIAN_DAYS = 270
CP_SIGMA = 0.6
CP_STEP_DOWN_CIN = 0.62
CIN_PLAN_AFTER_ASSESSMENT = 0.55
CIN_PLAN_MEDIAN_DAYS = 190

# Entering care, by route (per CP plan, per assessed in-need referral, per referral as an emergency).
CLA_FROM_CP = 0.17
CLA_FROM_IN_NEED = 0.052
CLA_EMERGENCY = 0.015

REASON_PLACE_CHANGE = Dist({"CARPL": 32, "CREQB": 14, "CREQO": 13, "LAREQ": 9, "CHILD": 8, "STAND": 4, "ALLEG": 3, "CLOSE": 5, "APPRR": 2, "OTHER": 10})
REVIEW_CODE = Dist({"PN1": 46, "PN2": 5, "PN3": 6, "PN4": 5, "PN5": 9, "PN6": 20, "PN7": 9})

# Care leavers: shares among young people with information (no information ~6% is added by IN_TOUCH).
IN_TOUCH = Dist({"YES": 89.8, "NREQ": 3.5, "NO": 3.5, "REFU": 2.0, "RHOM": 1.2})
ACTIVITY_17_18 = Dist({"F2": 40, "P2": 9.5, "F1": 2.5, "P1": 0.7, "F4": 9, "P4": 3, "F5": 2, "P5": 0.3, "G4": 3.3, "G5": 27.5, "G6": 2.2})
ACTIVITY_19_21 = Dist({"F2": 15, "P2": 7.3, "F1": 5.5, "P1": 1.0, "F4": 19, "P4": 7.5, "F5": 1.8, "P5": 0.4, "G4": 9.6, "G5": 28.5, "G6": 4.4})
ACCOM_SUITABLE = Dist({"Z1": 18, "D1": 24, "E1": 8, "U1": 24, "B1": 14, "C1": 3, "K1": 4, "T1": 2, "Y1": 2, "G1": 1})  # custody (X) is never suitable: no X1 (903 rule 133)
ACCOM_UNSUITABLE = Dist({"S2": 25, "V2": 20, "W2": 10, "X2": 20, "B2": 10, "U2": 10, "K2": 5})
SUITABLE_17_18 = 0.968
SUITABLE_19_21 = 0.947

# Workforce (CSWW 2025 national shapes).
AGENCY_SHARE = 0.62  # chance a vacancy is filled by an agency worker (they stay ~1 year)
EMPLOYED_TENURE_YEARS = 9.0
AGENCY_TENURE_YEARS = 0.9
VACANCY_GAP_DAYS = 75
AGENCY_RATE_MEDIAN = 42.0  # GBP per hour charged
AGENCY_RATE_CAP = 45.0  # illustrative regional cap (memorandum of understanding); ~1 in 4 above it
LEAVE_REASON = Dist({"resignation": 74, "retirement": 7, "dismissal": 3, "end_of_contract": 7, "redundancy": 1, "other": 6, "unknown": 2})
CSWW_ORIGIN = Dist({"1": 22, "2": 30, "3": 2, "4": 18, "5": 6, "6": 8, "7": 4, "8": 5, "9": 5})
CSWW_DESTINATION = Dist({"1": 30, "2": 2, "3": 18, "4": 9, "5": 9, "6": 12, "7": 6, "8": 14})
SHORT_ABSENCE_REASON = Dist({"infection": 55, "musculoskeletal": 15, "other": 25, "stress": 5})
LONG_ABSENCE_REASON = Dist({"stress": 52, "musculoskeletal": 16, "surgery": 18, "other": 14})

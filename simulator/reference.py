"""Reference data: picklists, channels and their mappings, names, products, stages.

This module is the single source of the picklist values the simulator emits; RULES.md lists the
same values (a test keeps the two in step) so that the warehouse's mapping seeds can be written
from it.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS = (
    "paid_search", "paid_social", "display", "organic_search", "email", "social",
    "referral", "events", "direct", "partner", "sales_outbound", "other",
)


@dataclass(frozen=True)
class Channel:
    """How people arriving through one inbound channel behave and are tagged."""

    name: str
    share: float  # share of inbound people whose first touch is this channel
    mql_rate: float  # probability of becoming an MQL
    qualify_factor: float  # multiplier on the SQL qualification probability
    win_factor: float  # multiplier on the new-business win rate
    lead_sources: tuple[str, ...]  # Salesforce lead_source values used
    analytics_source: str  # HubSpot property_hs_analytics_source
    utm: tuple[tuple[str, str], ...]  # (utm_source, utm_medium) pairs; empty = untagged


INBOUND_CHANNELS: tuple[Channel, ...] = (
    Channel("organic_search", 0.26, 0.22, 1.0, 1.0, ("Organic Search",), "ORGANIC_SEARCH", ()),
    Channel("paid_search", 0.18, 0.30, 1.0, 0.9, ("Paid Search",), "PAID_SEARCH",
            (("google", "cpc"), ("google", "cpc"), ("google", "cpc"), ("bing", "cpc"))),
    Channel("paid_social", 0.14, 0.16, 0.8, 0.75, ("Paid Social",), "PAID_SOCIAL",
            (("linkedin", "paid_social"), ("facebook", "paid_social"))),
    Channel("direct", 0.11, 0.28, 1.0, 1.0, ("Web",), "DIRECT_TRAFFIC", ()),
    Channel("referral", 0.08, 0.35, 1.2, 1.4, ("Referral",), "REFERRALS", ()),
    Channel("events", 0.08, 0.40, 1.1, 1.2, ("Trade Show", "Webinar"), "OFFLINE",
            (("saastr", "event"), ("webinar", "event"))),
    Channel("email", 0.05, 0.22, 0.9, 1.0, ("Email",), "EMAIL_MARKETING",
            (("hubspot", "email"),)),
    Channel("social", 0.05, 0.12, 0.8, 0.9, ("Social Media",), "SOCIAL_MEDIA",
            (("linkedin", "social"), ("twitter", "social"))),
    Channel("display", 0.03, 0.08, 0.7, 0.8, ("Display",), "OTHER_CAMPAIGNS",
            (("google", "display"),)),
    Channel("partner", 0.02, 0.38, 1.3, 1.3, ("Partner",), "REFERRALS",
            (("partnerstack", "partner"),)),
)

#: Salesforce lead_source (lead, contact, opportunity) -> channel.
LEAD_SOURCE_CHANNEL = {
    "Paid Search": "paid_search",
    "Paid Social": "paid_social",
    "Display": "display",
    "Organic Search": "organic_search",
    "Email": "email",
    "Social Media": "social",
    "Referral": "referral",
    "Trade Show": "events",
    "Webinar": "events",
    "Partner": "partner",
    "Web": "direct",
    "Outbound": "sales_outbound",
    "Cold Call": "sales_outbound",
}
#: lead_source values that mean "came from marketing" (person_match rule).
MARKETING_LEAD_SOURCES = tuple(
    v for v, c in LEAD_SOURCE_CHANNEL.items() if c != "sales_outbound"
)
OUTBOUND_LEAD_SOURCES = ("Outbound", "Cold Call")

#: HubSpot property_hs_analytics_source -> channel.
ANALYTICS_SOURCE_CHANNEL = {
    "ORGANIC_SEARCH": "organic_search",
    "PAID_SEARCH": "paid_search",
    "PAID_SOCIAL": "paid_social",
    "SOCIAL_MEDIA": "social",
    "EMAIL_MARKETING": "email",
    "REFERRALS": "referral",
    "DIRECT_TRAFFIC": "direct",
    "OFFLINE": "events",
    "OTHER_CAMPAIGNS": "display",
}
#: web sessions utm_medium -> channel (the medium alone decides the channel).
UTM_MEDIUM_CHANNEL = {
    "cpc": "paid_search",
    "paid_social": "paid_social",
    "display": "display",
    "email": "email",
    "social": "social",
    "event": "events",
    "partner": "partner",
}
#: web sessions utm_source -> channel (fallback when utm_medium is empty or unmapped).
UTM_SOURCE_CHANNEL = {
    "google": "paid_search",
    "bing": "paid_search",
    "linkedin": "paid_social",
    "facebook": "paid_social",
    "hubspot": "email",
    "twitter": "social",
    "saastr": "events",
    "webinar": "events",
    "partnerstack": "partner",
}

#: Salesforce lead status -> funnel stage.
LEAD_STATUS_STAGE = {
    "Open - Not Contacted": "lead",
    "Working - Contacted": "sal",
    "Nurturing": "recycled",
    "Qualified": "sql",
    "Unqualified": "disqualified",
}
#: HubSpot lifecycle stage -> funnel stage (in lifecycle order).
LIFECYCLE_STAGE_STAGE = {
    "subscriber": "subscriber",
    "lead": "lead",
    "marketingqualifiedlead": "mql",
    "salesqualifiedlead": "sql",
    "opportunity": "opportunity",
    "customer": "customer",
}
LIFECYCLE_ORDER = tuple(LIFECYCLE_STAGE_STAGE)

# Salesforce opportunity stages: name -> (funnel stage, probability, forecast category).
OPP_STAGES = {
    "Prospecting": ("opportunity", 10, "Pipeline"),
    "Qualification": ("opportunity", 20, "Pipeline"),
    "Needs Analysis": ("opportunity", 40, "Pipeline"),
    "Proposal": ("opportunity", 60, "Best Case"),
    "Negotiation": ("opportunity", 80, "Commit"),
    "Closed Won": ("won", 100, "Closed"),
    "Closed Lost": ("lost", 0, "Omitted"),
}
OPEN_STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation")
OPPORTUNITY_STAGE_STAGE = {k: v[0] for k, v in OPP_STAGES.items()}

# HubSpot default pipeline: stage_id -> (label, probability, is_closed, display_order, sf stage)
DEAL_PIPELINES = (
    ("default", "Sales Pipeline", True),
    ("75e28846", "Partner Pipeline (old)", False),
)
DEAL_STAGES = (
    ("appointmentscheduled", "default", "Appointment Scheduled", 0.2, False, 0, "Prospecting"),
    ("qualifiedtobuy", "default", "Qualified To Buy", 0.4, False, 1, "Qualification"),
    ("presentationscheduled", "default", "Presentation Scheduled", 0.6, False, 2,
     "Needs Analysis"),
    ("decisionmakerboughtin", "default", "Decision Maker Bought-In", 0.8, False, 3, "Proposal"),
    ("contractsent", "default", "Contract Sent", 0.9, False, 4, "Negotiation"),
    ("closedwon", "default", "Closed Won", 1.0, True, 5, "Closed Won"),
    ("closedlost", "default", "Closed Lost", 0.0, True, 6, "Closed Lost"),
    ("1039452", "75e28846", "Partner Intro", 0.3, False, 0, ""),
    ("1039453", "75e28846", "Partner Won", 1.0, True, 1, ""),
    ("1039454", "75e28846", "Partner Lost", 0.0, True, 2, ""),
)
SF_STAGE_TO_DEAL_STAGE = {row[6]: row[0] for row in DEAL_STAGES if row[6]}

#: Candidate unmapped values: (picklist, value, paired value). Used in this order.
UNMAPPED_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("utm_source", "tiktok"),
    ("lead_source", "LinkedIn Sales Navigator"),
    ("utm_medium", "paid-social"),
    ("analytics_source", "AI_REFERRALS"),
    ("lead_status", "Recycled"),
    ("lifecycle_stage", "evangelist"),
    ("utm_source", "reddit"),
    ("lead_source", "Gartner Peer Insights"),
)
#: Mapped values of every picklist checked by mapping_coverage.
MAPPED_VALUES: dict[str, frozenset[str]] = {
    "lead_status": frozenset(LEAD_STATUS_STAGE),
    "lead_source": frozenset(LEAD_SOURCE_CHANNEL),
    "opportunity_stage": frozenset(OPP_STAGES),
    "lifecycle_stage": frozenset(LIFECYCLE_STAGE_STAGE),
    "analytics_source": frozenset(ANALYTICS_SOURCE_CHANNEL),
    "utm_source": frozenset(UTM_SOURCE_CHANNEL),
    "utm_medium": frozenset(UTM_MEDIUM_CHANNEL),
}

# Ad platforms: platform -> (account id, channel, utm_source, utm_medium, campaign themes)
AD_PLATFORMS = (
    ("google_ads", "123-456-7890", "paid_search", "google", "cpc",
     ("Brand", "Competitor", "Revenue Analytics", "Pipeline Reporting", "Attribution")),
    ("bing_ads", "B0417733", "paid_search", "bing", "cpc", ("Brand", "Revenue Analytics")),
    ("linkedin_ads", "508812345", "paid_social", "linkedin", "paid_social",
     ("ABM Enterprise", "Thought Leadership", "Webinar Promo", "Retargeting")),
    ("facebook_ads", "act_88213311", "paid_social", "facebook", "paid_social",
     ("Retargeting", "Lookalike")),
    ("google_display", "123-456-7890", "display", "google", "display",
     ("Display Retargeting",)),
)
#: relative ad volume per platform
AD_PLATFORM_WEIGHT = (0.4, 0.08, 0.3, 0.12, 0.1)
#: typical cost per click (USD) per platform
AD_CPC = (4.5, 3.0, 9.0, 2.2, 1.1)

COUNTRIES = (
    ("United States", "USD", 0.55, ".com"),
    ("Canada", "USD", 0.05, ".ca"),
    ("United Kingdom", "GBP", 0.12, ".co.uk"),
    ("Germany", "EUR", 0.10, ".de"),
    ("France", "EUR", 0.07, ".fr"),
    ("Netherlands", "EUR", 0.05, ".nl"),
    ("Australia", "USD", 0.06, ".com.au"),
)

INDUSTRIES = (
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education",
    "Media", "Logistics", "Professional Services", "Telecommunications",
)

TITLES = (
    "VP Marketing", "Head of Revenue Operations", "Marketing Operations Manager",
    "Demand Generation Manager", "CMO", "VP Sales", "Sales Operations Analyst", "CFO",
    "Data Analyst", "Analytics Engineer", "Head of Growth", "CRO", "Marketing Manager",
    "Business Intelligence Lead", "Director of Sales", "Product Marketing Manager",
)

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty",
    "Mark", "Sandra", "Paul", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Kenneth",
    "Donna", "Joshua", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa",
    "Timothy", "Deborah", "Ronald", "Stephanie", "Jason", "Rebecca", "Edward", "Laura",
    "Jeffrey", "Helen", "Ryan", "Sharon", "Jacob", "Cynthia", "Gary", "Kathleen", "Nicholas",
    "Amy", "Eric", "Angela", "Jonathan", "Anna", "Stephen", "Ruth", "Larry", "Brenda",
    "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Katherine", "Benjamin", "Samantha",
    "Samuel", "Christine", "Gregory", "Emma", "Alexander", "Catherine", "Patrick", "Debra",
    "Frank", "Virginia", "Raymond", "Rachel", "Jack", "Carolyn", "Dennis", "Janet", "Jerry",
    "Maria", "Tyler", "Heather", "Aaron", "Diane", "Lukas", "Sophie", "Jan", "Lea", "Pierre",
    "Camille", "Oliver", "Amelia", "Noah", "Chloe", "Liam", "Mia", "Hugo", "Ines", "Finn",
    "Hannah", "Mateo", "Priya", "Arjun", "Wei", "Yuki", "Kenji", "Aisha", "Omar", "Fatima",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson",
    "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
    "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz",
    "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim",
    "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett",
    "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel",
    "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Lefevre", "Moreau",
    "Laurent", "de Vries", "Jansen", "Bakker", "Visser", "Chen", "Wang", "Singh", "Tanaka",
    "Sato", "Khan", "Ali", "O'Brien", "Murray", "Fraser", "Campbell-Hughes", "Novak",
)

COMPANY_WORDS_A = (
    "North", "Blue", "Bright", "Silver", "Green", "Red", "Iron", "Cloud", "Data", "Summit",
    "Pioneer", "Vertex", "Atlas", "Nova", "Quantum", "Apex", "Harbor", "River", "Stone",
    "Maple", "Cedar", "Falcon", "Eagle", "Lumen", "Orbit", "Prism", "Signal", "Vector",
    "Zenith", "Polar", "Solar", "Crystal", "Golden", "Rapid", "Clear", "Swift", "True",
    "Prime", "Core", "Alpha", "Beacon", "Cobalt", "Delta", "Echo", "Fusion", "Granite",
    "Horizon", "Indigo", "Juniper", "Keystone", "Lattice", "Meridian", "Nimbus", "Onyx",
    "Pinnacle", "Quartz", "Radiant", "Sequoia", "Tidal", "Unity", "Vivid", "Willow",
    "Xenon", "Yonder", "Zephyr", "Aurora", "Boulder", "Canyon", "Dune", "Ember",
)
COMPANY_WORDS_B = (
    "wind", "path", "works", "logic", "stack", "point", "gate", "line", "field", "bridge",
    "forge", "labs", "soft", "ware", "scale", "shift", "spark", "sync", "base", "flow",
    "grid", "hub", "loop", "mark", "mind", "net", "pulse", "quest", "rise", "scope",
    "sense", "sphere", "stream", "tide", "trail", "verse", "view", "wave", "wise", "yard",
)
COMPANY_SUFFIXES = (
    "", " Inc", " Group", " Systems", " Analytics", " Health", " Capital", " Logistics",
    " Media", " Retail", " Partners", " Technologies", " Solutions", " Industries", " Labs",
)

PRODUCTS = (
    ("Platform - Starter", "Subscription", True),
    ("Platform - Growth", "Subscription", True),
    ("Platform - Enterprise", "Subscription", True),
    ("Analytics Add-on", "Add-on", True),
    ("Premium Support", "Services", True),
    ("Onboarding Services", "Services", True),
    ("Legacy Connector Pack", "Add-on", False),
)

FORMS = (
    ("Demo Request", "/demo", True),
    ("Contact Sales", "/contact-sales", True),
    ("Ebook Download", "/resources/revenue-analytics-ebook", False),
    ("Webinar Registration", "/webinars/aligning-sales-and-marketing", False),
    ("Newsletter Signup", "/blog", False),
    ("Free Trial Signup", "/trial", False),
)

SITE = "https://www.revopsco.example"
LANDING_PAGES = (
    "/", "/pricing", "/product", "/blog/sales-marketing-alignment",
    "/blog/multi-touch-attribution", "/customers", "/integrations/salesforce",
    "/integrations/hubspot", "/resources", "/about",
)
REFERRERS = (
    "https://www.g2.com/products/revopsco/reviews", "https://www.capterra.com/",
    "https://news.ycombinator.com/", "https://www.reddit.com/r/analytics/",
    "https://medium.com/", "https://partner-blog.example/revops",
)

SALES_ROLES = ("VP Sales", "Sales Manager", "Account Executive", "SDR", "Marketing Ops")

"""Fictional names for the demo council: parts combined at random, never a real person's record."""

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harvey", "Imani", "Jack", "Kiran", "Lena", "Marcus",
    "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vikram", "Willow", "Yusuf", "Zara", "Alfie",
    "Bethan", "Callum", "Daisy", "Eshan", "Freya", "Gareth", "Hana", "Isaac", "Jade", "Kofi", "Lucy", "Mo", "Niamh",
    "Oscar", "Poppy", "Rhys", "Saoirse", "Toby", "Amara", "Bilal", "Ciara", "Dylan", "Esme", "Finn",
)
LAST_NAMES = (
    "Ashworth", "Bramley", "Carrow", "Denholm", "Ellery", "Fairclough", "Garside", "Holloway", "Ingram", "Jessop",
    "Kilbride", "Lockwood", "Marsden", "Northcott", "Oakes", "Pennington", "Quarmby", "Ridley", "Stansfield",
    "Thornbury", "Underhill", "Varley", "Whitworth", "Yardley", "Appleyard", "Birtwistle", "Cragg", "Dunstan",
    "Eastwood", "Fenwick", "Greenhalgh", "Haworth", "Illingworth", "Kershaw", "Lumb", "Mellor", "Nuttall",
    "Ormerod", "Pickles", "Rawcliffe", "Sutcliffe", "Tattersall", "Uttley", "Walmsley",
)
AREAS = (
    "Ashdown", "Brookfield", "Calder Vale", "Dunmore", "Elmstead", "Fairhaven", "Greystone", "Hollinwood",
    "Ivybridge Park", "Kingsmere", "Longridge", "Millbrook",
)
TEAM_KINDS = ("Assessment", "Child Protection", "Children in Care", "Family Help")
SETTINGS = (
    ("Fernbridge Family Centre (voluntary sector)", "voluntary"),
    ("Riverside Adult Mental Health Service", "adult-health"),
    ("Fernbridge Youth Justice Service", "youth-justice"),
    ("Brookfield Child Protection Team", "statutory-children"),
    ("Ashdown Children in Care Team", "statutory-children"),
    ("Fernbridge Adult Social Care Hub", "statutory-adults"),
)
SUPERVISION_TOPICS = (
    "Case discussion and reflection on risk", "Workload and wellbeing", "Planning for a child protection conference",
    "Reflective discussion after a home visit", "Development plan check-in", "Court statement preparation",
)
CPD_ITEMS = (
    ("course", "Contextual safeguarding workshop", "To improve how I assess risk outside the home."),
    ("reading", "Research review on neglect and cumulative harm", "A family on my caseload shows long-term neglect."),
    ("peer discussion", "Group reflection on a complex case", "To test my analysis with colleagues."),
    ("supervision", "Reflective supervision on direct work", "To plan direct work with a teenager."),
    ("course", "Working with parents with learning disabilities", "Two parents I work with have learning disabilities."),
    ("shadowing", "Shadowing an independent reviewing officer", "To understand care planning reviews."),
)
EVIDENCE_TITLES = (
    "Direct observation of a home visit", "Feedback from a parent", "Feedback from a school designated lead",
    "Assessment report for a child in need", "Critical reflection on a strategy discussion",
    "Chairing a core group meeting", "Court statement", "Mentoring a student on placement",
    "Presenting at a practice forum", "Life story work with a child in care",
)
GOALS = (
    "Build confidence in court work", "Lead a complex child protection case", "Develop practice education skills",
    "Strengthen analysis in assessments", "Prepare for the senior practitioner panel", "Develop leadership skills",
    "Improve direct work with teenagers", "Complete the apprenticeship portfolio",
)
ACTIONS = (
    "Shadow a senior colleague at court", "Attend the analysis and decision-making course",
    "Write a reflective account for supervision", "Ask for feedback from a partner agency",
    "Co-work a case with the advanced social worker", "Take a student on placement", "Read the latest research summary",
)

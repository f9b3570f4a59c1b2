//! Word lists behind the built-in extractor's cues. All lowercase except `ABBREVIATIONS`,
//! which are matched as written.

use std::sync::LazyLock;

use foldhash::HashSet;

/// The words of a whitespace-separated list.
fn set(words: &'static str) -> HashSet<&'static str> {
    words.split_whitespace().collect()
}

/// Function words and sentence openers: never part of a name, never a concept.
pub static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        a an the and or but if then else of in on at to for from by with without about as into \
        onto over under after before between through during since until while than this that \
        these those it its they them their we our us you your he him his she her i me my is \
        are was were be been being am has have had do does did will would shall should can \
        could may might must not no nor so such also only very more most less least many much \
        some any all each every both either neither other another which who whom whose what \
        when where why how there here however therefore thus hence moreover furthermore \
        although though because yet still just even well recent recently today yesterday \
        tomorrow meanwhile according per via upon within across among against along around off \
        out up down again further once one two three first second third last next several \
        various same own like said says yes please thanks january february march april june \
        july august september october november december monday tuesday wednesday thursday \
        friday saturday sunday figure table section chapter later earlier now finally overall \
        separately additionally instead despite following unlike whereas currently previously \
        initially eventually ultimately notably importantly specifically similarly likewise \
        consequently nevertheless nonetheless otherwise indeed perhaps often sometimes above \
        below toward towards whether unless four five six seven eight nine ten hundred \
        thousand million billion percent")
});

/// Extra words that end or break a lowercase concept phrase: reporting verbs and
/// evaluative adjectives of scientific prose.
pub static CONCEPT_BREAKERS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        propose proposes present presents show shows shown use uses using improve improves \
        achieve achieves demonstrate demonstrates provide provides obtain find finds suggest \
        suggests study studies paper work article results result include includes consider \
        investigate investigates analyze analyse compare allow allows enable enables require \
        requires reduce reduces increase increases able high higher low lower large small good \
        better best different novel existing important key main led made took gave told held \
        grew rose fell won lost met paid sold bought built began brought left ran saw went \
        came became kept felt chose wrote spent expect expects number state art way ways \
        approach approaches method methods problem problems task tasks set sets case cases \
        time times year years lot kind part order terms type types new including")
});

/// Head nouns (last word) that make a lowercase phrase a domain term even when it occurs once.
pub static DOMAIN_HEADS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        network networks model models algorithm algorithms system systems data theory function \
        functions process processes structure structures equation equations field fields \
        effect effects rate rates framework frameworks architecture architectures mechanism \
        mechanisms layer layers language graph graphs transformer transformers attention space \
        distribution distributions energy temperature pressure disease treatment therapy \
        receptor receptors pathway pathways material materials device devices sensor sensors \
        circuit circuits signal signals market markets policy policies revenue growth chain \
        emissions cell cells protein proteins gene genes vaccine vaccines engine database")
});

/// Nouns ending in "-ly", which otherwise marks an adverb.
pub static LY_NOUNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        supply family assembly anomaly monopoly reply ally rally butterfly polygamy italy july \
        jelly belly firefly homily")
});

/// Verbs after a sentence's first word that make it a name on its own: "Apple unveiled",
/// "Siemens said" (but not a plural: "Researchers said").
pub static SUBJECT_VERBS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        said says announced announces acquired acquires unveiled unveils launched launches \
        reported reports released releases introduced confirmed denied agreed plans filed sued \
        hired bought sold opened closed raised invested signed posted warned expects")
});

/// Words after which the next word is mostly a verb: "to grow", "would accelerate",
/// "also reveal".
pub const VERB_MARKERS: &[&str] = &[
    "to", "would", "will", "can", "could", "should", "may", "might", "must", "does", "did", "do",
    "not", "also",
];

/// Suffixes of abstract nouns that mark a lowercase phrase's head as a domain term.
pub const DOMAIN_SUFFIXES: &[&str] = &[
    "tion", "sion", "ment", "ity", "ism", "ogy", "ysis", "ics", "ance", "ence", "ing",
];

/// Lowercase words allowed inside a name between capitalised words: "Bank of America",
/// "Institute for Advanced Study", "Ludwig van Beethoven".
pub static CONNECTORS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        of for de du des del della di da van von der den la le al y upon")
});

/// Last words that make a name an organisation.
pub static ORG_SUFFIXES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        inc corp corporation ltd limited llc plc gmbh ag sa co company group holdings labs lab \
        laboratories laboratory bank university institute agency foundation association \
        council ministry department commission committee society partners technologies systems \
        industries solutions ventures capital press college school hospital museum party \
        organization organisation union fund authority bureau centre center network federation \
        airlines motors pharmaceuticals studios academy consortium alliance club court \
        parliament congress senate army police administration services board nv bv ab asa")
});

/// First words that make a name an organisation: "University of Oslo".
pub static ORG_HEADS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        university institute bank ministry department college school museum academy church \
        office bureau court")
});

/// Legal-form suffixes dropped from entity keys, so "Acme Corp." and "Acme" resolve together.
pub const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "co",
    "nv",
    "bv",
    "ab",
    "asa",
    "oy",
    "spa",
    "srl",
    "pty",
];

/// Titles and roles directly before a name mark a person: "Dr Jane Smith", "CEO Tim Cook".
pub static PERSON_TITLES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        mr mrs ms miss dr prof professor sir dame lord lady president ceo cfo cto coo chairman \
        chairwoman chair founder co-founder cofounder director minister senator governor mayor \
        judge king queen prince princess pope general captain rev author researcher scientist \
        economist analyst spokesperson spokesman spokeswoman")
});

/// Verbs right after a name that mark a person: "Smith said".
pub static PERSON_VERBS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        said says told explained added noted wrote argued recalled stated")
});

/// Prepositions before a name that suggest a place: "headquartered in Oslo".
pub static LOCATION_CUES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        in at near from across throughout outside inside")
});

pub static LOCATION_SUFFIXES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        city county river mountains mountain lake island islands republic kingdom state states \
        province street valley bay ocean sea coast region district peninsula desert park")
});

/// Words that make a name a place wherever they stand in it: "Democratic Republic of the
/// Congo", "United Arab Emirates".
pub static LOCATION_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        republic kingdom emirates islands province county commonwealth")
});

/// Nouns in an appositive that make the name before it an organisation.
pub static ORG_NOUNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        company firm startup start-up maker manufacturer retailer provider developer supplier \
        operator lender insurer carrier publisher broadcaster subsidiary conglomerate agency \
        regulator charity nonprofit non-profit university institute laboratory")
});

/// Nouns in an appositive that make the name before it a place.
pub static PLACE_NOUNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("city town village capital country state province region island port county")
});

/// Words before "in" that make what follows an investment target rather than a place:
/// "a stake in Tesla", "$10 billion in OpenAI".
pub static INVESTMENT_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        invest invests invested investing investment investments stake stakes shares interest \
        role roles million billion trillion dollars euros")
});

pub static EVENT_SUFFIXES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        conference summit war olympics games festival championship cup election elections \
        crisis revolution award awards expo forum symposium workshop pandemic trial prize")
});

/// Verbs before a name that suggest a product: "Apple unveiled Vision Pro".
pub static PRODUCT_CUES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("\
        launched launches released releases unveiled unveils introduced introduces shipped \
        ships")
});

/// Abbreviations whose full stop never ends a sentence, as written: titles and the like.
pub const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sr", "Jr", "vs", "etc", "No", "Fig", "Gen", "Gov",
    "Sen", "Rep", "Mt", "al", "e", "g", "i", "approx", "cf",
];

/// Abbreviations that end a sentence when a capitalised word follows: "... Beta Inc. Shares
/// rose" is two sentences, "Jan. 5" one.
pub const FINAL_ABBREVIATIONS: &[&str] = &[
    "Inc", "Corp", "Ltd", "Co", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
];

//! Which goal and topic the n-th post of a channel carries.

/// Content angles used as topics when a request names none: each goal gets worked through
/// from these sides in turn.
pub const DERIVED_TOPICS: &[&str] = &[
    "announcement",
    "how-to",
    "customer story",
    "behind the scenes",
    "FAQ",
    "industry insight",
];

/// Indexes into the goals and topics lists for a channel's post number `post`.
///
/// Both advance by one each post, so neighbouring posts on a channel differ in goal and in
/// topic whenever there are two or more of each. Stepping both in lockstep would only ever
/// pair goal g with topics congruent to g (two goals and four topics: goal 0 never gets topics
/// 1 or 3), so after each full cycle of pairs the topics move one further along, which reaches
/// every pairing. With only two topics that extra step would repeat a topic on neighbouring
/// posts, so it is left out there.
pub(crate) fn goal_and_topic(post: usize, goals: usize, topics: usize) -> (usize, usize) {
    let cycle = lcm(goals, topics);
    let shift = if topics > 2 { post / cycle } else { 0 };
    (post % goals, (post + shift) % topics)
}

fn lcm(a: usize, b: usize) -> usize {
    a / gcd(a, b) * b
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

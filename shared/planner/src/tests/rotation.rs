//! Goals, topics and owners handed out across slots.

use std::collections::BTreeSet;

use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};

use super::{cadence, date, request};
use crate::rotation::goal_and_topic;
use crate::{DERIVED_TOPICS, PlannedSlot, plan};

fn weekdays_plan(channels: &[&str], topics: &[&str], owners: &[&str]) -> Vec<PlannedSlot> {
    let mut req = request(
        date(2026, 3, 2),
        date(2026, 3, 29),
        "Europe/Oslo",
        channels
            .iter()
            .map(|c| cadence(c, 5, &[Mon, Tue, Wed, Thu, Fri], &["09:00"]))
            .collect(),
    );
    req.topics = topics.iter().map(|t| t.to_string()).collect();
    req.owners = owners.iter().map(|o| o.to_string()).collect();
    plan(&req).unwrap()
}

#[test]
fn neighbouring_slots_on_a_channel_differ_in_goal_and_topic() {
    let slots = weekdays_plan(&["x", "linkedin"], &["pricing", "demo", "roadmap"], &[]);
    for channel in ["x", "linkedin"] {
        let mine: Vec<_> = slots.iter().filter(|s| s.channel == channel).collect();
        assert_eq!(mine.len(), 20);
        for pair in mine.windows(2) {
            assert_ne!(pair[0].goal, pair[1].goal, "{channel} repeats a goal");
            assert_ne!(pair[0].topic, pair[1].topic, "{channel} repeats a topic");
        }
    }
    // Posts going out together on two channels carry different goals.
    assert_ne!(slots[0].at, slots[2].at);
    assert_eq!(slots[0].at, slots[1].at);
    assert_ne!(slots[0].goal, slots[1].goal);
}

#[test]
fn every_goal_meets_every_topic() {
    // Two goals and four topics: stepping both by one would pair goal 0 only with topics 0
    // and 2.
    let pairs: BTreeSet<_> = (0..8).map(|post| goal_and_topic(post, 2, 4)).collect();
    assert_eq!(pairs.len(), 8);
    for post in 0..40 {
        let (a, b) = (goal_and_topic(post, 2, 4), goal_and_topic(post + 1, 2, 4));
        assert!(
            a.0 != b.0 && a.1 != b.1,
            "posts {post} and {} match",
            post + 1
        );
    }
    // Two topics cannot have both; neighbours differing wins.
    for post in 0..10 {
        assert_ne!(
            goal_and_topic(post, 2, 2).1,
            goal_and_topic(post + 1, 2, 2).1
        );
    }
}

#[test]
fn topics_come_from_content_angles_when_none_are_given() {
    let slots = weekdays_plan(&["linkedin"], &[], &[]);
    let topics: BTreeSet<_> = slots.iter().map(|s| s.topic.as_str()).collect();
    assert_eq!(topics, DERIVED_TOPICS.iter().copied().collect());
    let goals: BTreeSet<_> = slots.iter().map(|s| s.goal.as_str()).collect();
    assert_eq!(
        goals,
        BTreeSet::from(["launch awareness", "drive webinar signups"])
    );
    assert_eq!(slots[0].title, "LinkedIn: launch awareness — announcement");
    assert_eq!(slots[1].title, "LinkedIn: drive webinar signups — how-to");
}

#[test]
fn owners_take_turns_in_time_order() {
    let slots = weekdays_plan(&["x", "blog"], &["pricing"], &["ann", "bo", "cy"]);
    let owners: Vec<_> = slots.iter().map(|s| s.owner.as_deref().unwrap()).collect();
    for (position, owner) in owners.iter().enumerate() {
        assert_eq!(*owner, ["ann", "bo", "cy"][position % 3]);
    }
    // One topic is repeated on every slot rather than refused.
    assert!(slots.iter().all(|s| s.topic == "pricing"));
    assert!(
        weekdays_plan(&["x"], &[], &[])
            .iter()
            .all(|s| s.owner.is_none())
    );
}

#[test]
fn entries_are_trimmed() {
    let mut req = request(
        date(2026, 3, 2),
        date(2026, 3, 8),
        " Europe/Oslo ",
        vec![cadence(" Blog ", 1, &[], &[])],
    );
    req.goals = vec!["  launch awareness ".into()];
    req.topics = vec![" pricing".into()];
    req.owners = vec!["ann ".into()];
    let slots = plan(&req).unwrap();
    assert_eq!(slots.len(), 1);
    let slot = &slots[0];
    assert_eq!(slot.channel, "blog");
    assert_eq!(slot.timezone, "Europe/Oslo");
    assert_eq!(slot.title, "Blog: launch awareness — pricing");
    assert_eq!(slot.owner.as_deref(), Some("ann"));
}

//! Transitions within one list of steps: targets exist, every step is reachable, and every
//! loop passes a choice.
//!
//! A loop made only of unconditional moves (`next`, falling through, `catch`) has no way out
//! but failure, so every loop must pass a choice step, the one kind of step that can decide
//! to leave it. Waits and approvals in a loop don't count: they slow it down, they don't end it.

use super::Check;
use crate::definition::{After, END, Step, StepKind};
use std::collections::VecDeque;

pub(super) fn check(check: &mut Check, steps: &[Step], start: &str) {
    let position = |id: &str| steps.iter().position(|s| s.id == id);
    // edges[i]: the steps step i can move to, by index in `steps`.
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        let id = step.id.as_str();
        let mut targets: Vec<(String, &str)> = Vec::new();
        match step.kind.after() {
            After::Next(next) if next == END => {}
            After::Next(next) => targets.push(("next".into(), next)),
            After::Following if i + 1 < steps.len() => edges[i].push(i + 1),
            After::Following | After::Decides | After::Stops => {}
        }
        if let Some(catch) = step.kind.catch() {
            targets.push(("catch.next".into(), &catch.next));
        }
        if let StepKind::Choice(choice) = &step.kind {
            for (r, rule) in choice.choices.iter().enumerate() {
                targets.push((format!("choices[{r}].next"), &rule.next));
            }
            if let Some(default) = &choice.default {
                targets.push(("default".into(), default));
            }
        }
        for (field, target) in targets {
            match position(target) {
                Some(t) => edges[i].push(t),
                None => {
                    let why = if target == END && field != "next" {
                        format!("only `next` can be `{END}`; add a succeed step to end here")
                    } else if check.ids.contains(target) {
                        format!(
                            "`{target}` is in another list of steps; a step moves only within its own list (the workflow's, a branch's or a map's)"
                        )
                    } else {
                        format!("there is no step `{target}`")
                    };
                    check.error(Some(id), field, why);
                }
            }
        }
    }
    let Some(start) = position(start) else { return };
    let mut reached = reach(&edges, start, |_| true);
    reached[start] = true;
    for (i, step) in steps.iter().enumerate() {
        if !reached[i] {
            check.error(
                Some(&step.id),
                "id",
                "no step leads here: it is not the start, and no `next`, `catch` or choice goes to it",
            );
        }
    }
    loops_without_choice(check, steps, &edges);
}

/// Which steps can be reached from `from` in one or more moves, moving only into steps
/// that `through` allows.
fn reach(edges: &[Vec<usize>], from: usize, through: impl Fn(usize) -> bool) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue = VecDeque::from([from]);
    while let Some(i) = queue.pop_front() {
        for &j in &edges[i] {
            if through(j) && !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

fn loops_without_choice(check: &mut Check, steps: &[Step], edges: &[Vec<usize>]) {
    let plain = |i: usize| !matches!(steps[i].kind, StepKind::Choice(_));
    // reachable[i][j]: j can be reached from i in one or more moves that pass no choice.
    let reachable: Vec<Vec<bool>> = (0..steps.len())
        .map(|i| match plain(i) {
            true => reach(edges, i, plain),
            false => vec![false; steps.len()],
        })
        .collect();
    let mut reported = vec![false; steps.len()];
    for i in 0..steps.len() {
        if reported[i] || !reachable[i][i] {
            continue;
        }
        let members: Vec<usize> = (0..steps.len())
            .filter(|&j| reachable[i][j] && reachable[j][i])
            .collect();
        for &m in &members {
            reported[m] = true;
        }
        let names: Vec<&str> = members.iter().map(|&m| steps[m].id.as_str()).collect();
        check.error(
            Some(&steps[i].id),
            "next",
            format!(
                "steps {} loop without passing a choice step, so only a failure could end the loop",
                names.join(", ")
            ),
        );
    }
}

//! Load test of the portfolio optimiser: times `optimise` and a 10-point `frontier` on
//! deterministic pseudo-random portfolios, next to a plain greedy pass in the same loop, so the
//! ratio stays meaningful on a noisy machine.
//!
//! `cargo run --release --bin optimiser-bench -- [items] [runs]` (default 500 items, 20 runs).
//! Three cases: "realistic" (benefit loosely follows size, some mandatory items and
//! dependencies, limits about a third of the totals); "correlated" (benefit strictly follows
//! the hours, and the cost the hours); "correlated-2d" (benefit strictly follows hours and cost,
//! which are independent: the classic hard case for branch and bound, where the node limit is
//! expected to end most searches). Times are whole microseconds.

use std::time::Instant;

use anyhow::Context;
use portfolj::domain::optimiser::{self, Candidate, Limits, Selection};
use rand::{Rng, SeedableRng, rngs::StdRng};

#[derive(Debug, Clone, Copy)]
enum Case {
    Realistic,
    Correlated,
    Correlated2d,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::Realistic => "realistic",
            Case::Correlated => "correlated",
            Case::Correlated2d => "correlated-2d",
        }
    }
}

/// A portfolio and its limits; the same seed always gives the same portfolio.
fn portfolio(case: Case, items: usize, seed: u64) -> (Vec<Candidate>, Limits) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut candidates = Vec::with_capacity(items);
    for i in 0..items {
        let candidate = match case {
            Case::Realistic => {
                let mandatory = rng.random_range(0..10) == 0;
                let hours: u64 = if mandatory {
                    rng.random_range(8..=80)
                } else {
                    rng.random_range(8..=800)
                };
                // Cost follows effort loosely: 0–2 500 kr per hour, at most 2 000 000 kr.
                let kr = (hours * rng.random_range(0..=2_500)).min(2_000_000);
                let benefit = rng.random_range(0..=250) + hours * 125 / 800 + kr * 125 / 2_000_000;
                let requires = if i > 0 && rng.random_range(0..10) == 0 {
                    vec![rng.random_range(0..i)]
                } else {
                    Vec::new()
                };
                Candidate {
                    benefit,
                    hours,
                    cost: kr * 100,
                    mandatory,
                    requires,
                    blocked: rng.random_range(0..30) == 0,
                }
            }
            Case::Correlated => {
                let hours: u64 = rng.random_range(8..=800);
                let kr = hours * rng.random_range(1_800..=2_200);
                Candidate {
                    benefit: hours / 2 + 20,
                    hours,
                    cost: kr * 100,
                    mandatory: rng.random_range(0..20) == 0 && hours < 100,
                    requires: Vec::new(),
                    blocked: false,
                }
            }
            Case::Correlated2d => {
                let hours: u64 = rng.random_range(8..=800);
                let kr: u64 = rng.random_range(0..=2_000_000);
                Candidate {
                    benefit: hours / 4 + kr / 8_000 + 20,
                    hours,
                    cost: kr * 100,
                    ..Candidate::default()
                }
            }
        };
        candidates.push(candidate);
    }
    let hours: u64 = candidates.iter().map(|c| c.hours).sum();
    let cost: u64 = candidates.iter().map(|c| c.cost).sum();
    let limits = Limits {
        hours: hours * 35 / 100,
        cost: cost * 30 / 100,
    };
    (candidates, limits)
}

/// The baseline: mandatory items, then each item with its requirements by benefit per
/// normalised size, best first, whenever it fits.
fn greedy(candidates: &[Candidate], limits: Limits) -> u64 {
    let n = candidates.len();
    let mut chosen = vec![false; n];
    let (mut hours, mut cost, mut benefit) = (0_u64, 0_u64, 0_u64);
    let group = |i: usize, chosen: &[bool]| -> Option<Vec<usize>> {
        let mut members = vec![i];
        let mut k = 0;
        while let Some(&x) = members.get(k) {
            k += 1;
            for &r in &candidates[x].requires {
                if r < n && !chosen[r] && !members.contains(&r) {
                    members.push(r);
                }
            }
        }
        members
            .iter()
            .all(|&x| !candidates[x].blocked || candidates[x].mandatory)
            .then_some(members)
    };
    let size = |c: &Candidate| {
        (u128::from(c.hours) << 20) / u128::from(limits.hours.max(1))
            + (u128::from(c.cost) << 20) / u128::from(limits.cost.max(1))
            + 1
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&candidates[i], &candidates[j]);
        let mandatory = b.mandatory.cmp(&a.mandatory);
        mandatory
            .then_with(|| (u128::from(b.benefit) * size(a)).cmp(&(u128::from(a.benefit) * size(b))))
    });
    for i in order {
        if chosen[i] {
            continue;
        }
        let Some(members) = group(i, &chosen) else {
            continue;
        };
        let add_hours: u64 = members.iter().map(|&x| candidates[x].hours).sum();
        let add_cost: u64 = members.iter().map(|&x| candidates[x].cost).sum();
        if candidates[i].mandatory
            || (hours + add_hours <= limits.hours && cost + add_cost <= limits.cost)
        {
            for &x in &members {
                chosen[x] = true;
                benefit += candidates[x].benefit;
            }
            hours += add_hours;
            cost += add_cost;
        }
    }
    benefit
}

fn micros(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Median and largest of `values`.
fn median_max(values: &mut [u64]) -> (u64, u64) {
    values.sort_unstable();
    let median = values.get(values.len() / 2).copied().unwrap_or(0);
    let max = values.last().copied().unwrap_or(0);
    (median, max)
}

/// `a / b` with one decimal, in integers.
fn ratio(a: u64, b: u64) -> String {
    let tenths = u128::from(a) * 10 / u128::from(b.max(1));
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn run(case: Case, items: usize, runs: usize) {
    let (mut greedy_us, mut optimise_us, mut frontier_us) = (Vec::new(), Vec::new(), Vec::new());
    let mut explain_us = Vec::new();
    let (mut nodes, mut frontier_nodes) = (Vec::new(), Vec::new());
    let (mut proven, mut cheapest, mut frontier_proven, mut frontier_points) = (0, 0, 0, 0);
    let (mut greedy_benefit, mut optimal_benefit) = (0_u64, 0_u64);
    for seed in 0..runs {
        let (candidates, limits) = portfolio(case, items, seed as u64);

        let start = Instant::now();
        greedy_benefit += std::hint::black_box(greedy(&candidates, limits));
        greedy_us.push(micros(start));

        let start = Instant::now();
        let selection = std::hint::black_box(optimiser::optimise(&candidates, limits));
        optimise_us.push(micros(start));
        nodes.push(selection.nodes);
        proven += usize::from(selection.proven_optimal);
        cheapest += usize::from(selection.cheapest_proven);
        optimal_benefit += selection.benefit;

        let start = Instant::now();
        std::hint::black_box(optimiser::explain(&candidates, limits, &selection));
        explain_us.push(micros(start));

        let total_cost: u64 = candidates.iter().map(|c| c.cost).sum();
        let budgets: Vec<u64> = (1..=10).map(|k| total_cost / 10 * k).collect();
        let start = Instant::now();
        let points: Vec<Selection> =
            std::hint::black_box(optimiser::frontier(&candidates, limits.hours, &budgets));
        frontier_us.push(micros(start));
        frontier_nodes.push(points.iter().map(|p| p.nodes).sum());
        frontier_proven += points.iter().filter(|p| p.proven_optimal).count();
        frontier_points += points.len();
    }
    let (greedy_median, greedy_max) = median_max(&mut greedy_us);
    let (optimise_median, optimise_max) = median_max(&mut optimise_us);
    let (frontier_median, frontier_max) = median_max(&mut frontier_us);
    let (explain_median, explain_max) = median_max(&mut explain_us);
    let (nodes_median, nodes_max) = median_max(&mut nodes);
    let (frontier_nodes_median, frontier_nodes_max) = median_max(&mut frontier_nodes);
    println!("case {}: {items} items, {runs} runs", case.name());
    println!(
        "  optimise: median {optimise_median} µs, max {optimise_max} µs; nodes median \
         {nodes_median}, max {nodes_max} (limit {}); proven optimal {proven}/{runs}, \
         cheapest proven {cheapest}/{runs}",
        optimiser::NODE_LIMIT
    );
    println!(
        "  frontier (10 budgets): median {frontier_median} µs, max {frontier_max} µs; nodes \
         median {frontier_nodes_median}, max {frontier_nodes_max}; proven optimal \
         {frontier_proven}/{frontier_points} points"
    );
    println!("  explain: median {explain_median} µs, max {explain_max} µs");
    println!(
        "  greedy baseline: median {greedy_median} µs, max {greedy_max} µs; optimise/greedy \
         median ratio {}",
        ratio(optimise_median, greedy_median)
    );
    println!(
        "  benefit summed over runs: optimise {optimal_benefit}, greedy {greedy_benefit} \
         (optimise {} % above greedy)",
        ratio(
            optimal_benefit.saturating_sub(greedy_benefit) * 100,
            greedy_benefit
        )
    );
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let items: usize = match args.next() {
        Some(text) => text.parse().context("items must be a whole number")?,
        None => 500,
    };
    let runs: usize = match args.next() {
        Some(text) => text.parse().context("runs must be a whole number")?,
        None => 20,
    };
    for case in [Case::Realistic, Case::Correlated, Case::Correlated2d] {
        run(case, items, runs);
    }
    Ok(())
}

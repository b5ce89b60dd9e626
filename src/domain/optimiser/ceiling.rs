//! The hours-only ceiling: the best selection when the cost limit and the dependencies are
//! ignored, by dynamic programming over the hours. The search uses it as a bound, and its
//! selection as the answer when it keeps the cost limit and the dependencies too.

use super::Candidate;
use super::structure::Structure;

/// The most item-by-hour cells the hours-only ceiling may take (time), and the most hours
/// (memory: 16 bytes an hour).
const CEILING_CELLS: u128 = 60_000_000;
const CEILING_HOURS: u64 = 500_000;

/// The 0/1 knapsack over exact hours: per number of hours h the best key of a set of exactly
/// h hours (`unreachable` if none), and per item and h (in 64-bit words) whether that set has
/// the item. `unreachable` plus all keys must neither overflow nor reach a real key.
fn best_by_hours<T>(items: &[(usize, T)], capacity: usize, unreachable: T) -> (Vec<T>, Vec<u64>)
where
    T: Copy + Ord + Default + std::ops::Add<Output = T>,
{
    let words = capacity / 64 + 1;
    let mut best = vec![unreachable; capacity + 1];
    best[0] = T::default();
    let mut taken = vec![0_u64; words * items.len()];
    for (row, &(hours, key)) in taken.chunks_exact_mut(words).zip(items) {
        for h in (hours..=capacity).rev() {
            let candidate = best[h - hours] + key;
            if candidate > best[h] {
                best[h] = candidate;
                row[h / 64] |= 1 << (h % 64);
            }
        }
    }
    (best, taken)
}

/// The best selection of non-forced items within `rem_hours` when cost and dependencies are
/// ignored, by dynamic programming over the hours: lexicographically (benefit, then lower
/// cost, then fewer hours) no selection under any budget is better. `None` when it would take
/// too long.
pub(super) fn hours_ceiling(
    candidates: &[Candidate],
    structure: &Structure,
    rem_hours: u64,
) -> Option<Ceiling> {
    if rem_hours > CEILING_HOURS {
        return None;
    }
    let items: Vec<usize> = (0..candidates.len())
        .filter(|&i| {
            !structure.forced[i]
                && structure.stuck_on[i].is_none()
                && candidates[i].benefit > 0
                && candidates[i].hours <= rem_hours
        })
        .collect();
    let capacity = usize::try_from(rem_hours).ok()?;
    let cells = u128::from(rem_hours + 1) * u128::try_from(items.len()).ok()?;
    if cells > CEILING_CELLS {
        return None;
    }
    let benefit: u128 = items
        .iter()
        .map(|&i| u128::from(candidates[i].benefit))
        .sum();
    let cost: u128 = items.iter().map(|&i| u128::from(candidates[i].cost)).sum();
    // Benefit shifted above every possible cost, minus the cost: one number that orders
    // by benefit, then lower cost, and adds up right.
    let shift = 128 - cost.leading_zeros();
    let keys: Vec<(usize, i128)> = items
        .iter()
        .map(|&i| {
            let candidate = &candidates[i];
            let hours = usize::try_from(candidate.hours).unwrap_or(usize::MAX);
            let key = (i128::from(candidate.benefit) << shift) - i128::from(candidate.cost);
            (hours, key)
        })
        .collect();
    let fits = |bits: u32| shift < bits && benefit < 1 << (bits - shift);
    // The faster 64-bit table when the numbers allow.
    let (best, taken) = if fits(62) {
        let keys: Vec<(usize, i64)> = keys
            .iter()
            .map(|&(h, k)| (h, i64::try_from(k).unwrap_or(0)))
            .collect();
        let (best, taken) = best_by_hours(&keys, capacity, i64::MIN / 2);
        (best.into_iter().map(i128::from).collect(), taken)
    } else if fits(125) {
        best_by_hours(&keys, capacity, i128::MIN / 2)
    } else {
        return None;
    };
    let (hours, top) =
        best.iter().enumerate().fold(
            (0, 0_i128),
            |(bh, bk), (h, &k)| if k > bk { (h, k) } else { (bh, bk) },
        );
    let words = capacity / 64 + 1;
    let mut chosen = vec![false; candidates.len()];
    let mut h = hours;
    for (k, (&i, &(item_hours, _))) in items.iter().zip(&keys).enumerate().rev() {
        if taken[k * words + h / 64] & (1 << (h % 64)) != 0 {
            chosen[i] = true;
            h = h.checked_sub(item_hours)?;
        }
    }
    let benefit = (top + (1 << shift) - 1) >> shift;
    let cost = (benefit << shift) - top;
    Some(Ceiling {
        benefit: u128::try_from(benefit).ok()?,
        cost: u64::try_from(cost).ok()?,
        hours: u64::try_from(hours).ok()?,
        chosen,
    })
}

/// The best selection under the hours limit alone; see [`hours_ceiling`].
pub(super) struct Ceiling {
    pub(super) benefit: u128,
    pub(super) cost: u64,
    pub(super) hours: u64,
    /// It may break the cost limit or a dependency; if not, it is the answer.
    pub(super) chosen: Vec<bool>,
}

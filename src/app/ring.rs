//! A bounded buffer that drops its oldest items: the logs view, the stats chart, the
//! daemon's events and the command log all keep their newest items in one.

use std::collections::VecDeque;

#[derive(Debug, Clone)]
pub struct Ring<T> {
    items: VecDeque<T>,
    capacity: usize,
    /// Items that fell off the front.
    dropped: u64,
    /// What the items weigh (bytes, for a buffer fed by a container), and the most they
    /// may weigh together; the newest item always stays.
    cost: fn(&T) -> usize,
    used: usize,
    budget: usize,
}

impl<T> Ring<T> {
    /// A ring of at least one item.
    pub fn new(capacity: usize) -> Self {
        Self::with_budget(capacity, usize::MAX, |_| 0)
    }

    /// A ring bounded by its items' `cost` as well as by their count.
    pub fn with_budget(capacity: usize, budget: usize, cost: fn(&T) -> usize) -> Self {
        Self {
            items: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
            cost,
            used: 0,
            budget,
        }
    }

    pub fn push(&mut self, item: T) {
        self.insert(self.items.len(), item);
    }

    /// Puts `item` at `index` (a merged log keeps time order); the bounds hold as in
    /// [`Ring::push`], the oldest dropping first.
    pub fn insert(&mut self, index: usize, item: T) {
        self.used += (self.cost)(&item);
        self.items.insert(index.min(self.items.len()), item);
        while self.items.len() > self.capacity || (self.used > self.budget && self.items.len() > 1)
        {
            let Some(old) = self.items.pop_front() else {
                break;
            };
            self.used -= (self.cost)(&old);
            self.dropped += 1;
        }
    }

    /// What the items weigh together (see [`Ring::with_budget`]).
    pub fn used(&self) -> usize {
        self.used
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Oldest first.
    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, T> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> std::collections::vec_deque::IterMut<'_, T> {
        self.items.iter_mut()
    }

    pub fn back(&self) -> Option<&T> {
        self.items.back()
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        self.items.get(index)
    }

    /// The first index whose item is not before (as `pred` says), as
    /// [`slice::partition_point`]: the items must be ordered by it.
    pub fn partition_point(&self, pred: impl FnMut(&T) -> bool) -> usize {
        self.items.partition_point(pred)
    }
}

impl<'a, T> IntoIterator for &'a Ring<T> {
    type Item = &'a T;
    type IntoIter = std::collections::vec_deque::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_and_counts_what_fell_off() {
        let mut ring = Ring::new(3);
        for i in 0..5 {
            ring.push(i);
        }
        assert_eq!(ring.iter().copied().collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!((ring.len(), ring.dropped()), (3, 2));
        assert_eq!(Ring::<u8>::new(0).capacity(), 1);
    }

    #[test]
    fn a_budget_drops_the_oldest_but_keeps_the_newest() {
        let mut ring = Ring::with_budget(100, 10, |s: &String| s.len());
        for s in ["aaaa", "bbbb", "cccc"] {
            ring.push(s.to_string());
        }
        assert_eq!(ring.iter().cloned().collect::<Vec<_>>(), ["bbbb", "cccc"]);
        assert_eq!((ring.used(), ring.dropped()), (8, 1));
        ring.push("x".repeat(50));
        assert_eq!(
            (ring.len(), ring.used()),
            (1, 50),
            "the newest stays, alone"
        );
    }
}

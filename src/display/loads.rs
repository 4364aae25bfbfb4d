//! The load queue: every load (a drop, a pick, `?data=`, the remembered workspace, the
//! files that waited for a mapping) is one entry of a queue over the one workspace, and
//! runs alone. A load takes the workspace as it is when it starts and applies to it
//! only while it is still the running load, so nothing changes the workspace between
//! its start and its apply: no other load runs, and Clear and Load demo cancel it (and
//! every queued load) first. A new drop waits its turn and never cancels anything; only
//! the user's cancel, Clear and Load demo do, and each says so ([`cancelled_message`]).
//!
//! The queue is generic over what a load carries (`T`: its files, in the browser), so
//! that its rules are tested natively (`tests/load_queue.rs`) with random sequences of
//! drops, finishes, clears, demos and cancels.

/// A load's number, unique in its queue (in the order the loads were dropped).
pub type LoadId = u64;

/// What cancelled a load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelledBy {
    /// The user's cancel of this load.
    User,
    /// "Clear workspace".
    Clear,
    /// "Load demo".
    Demo,
}

/// Where a load stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadState {
    /// Waiting for the running load to end.
    Queued,
    /// Reading and parsing: the one load that may apply next.
    Running,
    /// Its outcome is applied to the workspace (its files' reports are shown).
    Applied,
    /// It ended without applying anything (every file refused or failed, a worker that
    /// stopped: its errors are shown).
    Failed,
    /// Cancelled before it applied: nothing of it was kept.
    Cancelled(CancelledBy),
}

impl LoadState {
    /// True once the load has ended (applied, failed or cancelled).
    pub fn is_over(self) -> bool {
        !matches!(self, LoadState::Queued | LoadState::Running)
    }
}

/// One load: its number, its files' names and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Load {
    pub id: LoadId,
    pub files: Vec<String>,
    pub state: LoadState,
}

impl Load {
    /// Its files' names, comma-separated.
    pub fn names(&self) -> String {
        self.files.join(", ")
    }
}

/// The queue of loads over one workspace: at most one runs; the others wait in the
/// order they were dropped, each with what it carries (`T`).
#[derive(Debug)]
pub struct Loads<T> {
    next_id: LoadId,
    /// Every load so far (ended ones are kept for their state, names only).
    loads: Vec<Load>,
    /// What each queued load carries, in queue order.
    waiting: Vec<(LoadId, T)>,
}

impl<T> Default for Loads<T> {
    fn default() -> Self {
        Loads {
            next_id: 1,
            loads: Vec::new(),
            waiting: Vec::new(),
        }
    }
}

/// Ended loads kept for their state; older ones are forgotten (names only, but a long
/// session should not grow without bound).
const KEPT_ENDED: usize = 1000;

impl<T> Loads<T> {
    /// An empty queue.
    pub fn new() -> Loads<T> {
        Loads::default()
    }

    /// Queues a load of `files` carrying `payload`; it runs when every load before it
    /// has ended ([`Loads::start`]). Nothing running or queued is cancelled.
    pub fn drop_files(&mut self, files: Vec<String>, payload: T) -> LoadId {
        let id = self.next_id;
        self.next_id += 1;
        self.loads.push(Load {
            id,
            files,
            state: LoadState::Queued,
        });
        self.waiting.push((id, payload));
        self.forget_old();
        id
    }

    /// Starts the first queued load when none runs: it is now the running load, and
    /// its payload is handed over. `None` while a load runs or none waits.
    pub fn start(&mut self) -> Option<(LoadId, T)> {
        if self.running().is_some() || self.waiting.is_empty() {
            return None;
        }
        let (id, payload) = self.waiting.remove(0);
        self.set_state(id, LoadState::Running);
        Some((id, payload))
    }

    /// Asks, right before applying its outcome, whether the load `id` may apply it:
    /// true (once) while it is the running load, which is then applied; false when it
    /// was cancelled meanwhile (its outcome is dropped, nothing of it is kept).
    pub fn apply(&mut self, id: LoadId) -> bool {
        if self.state(id) != Some(LoadState::Running) {
            return false;
        }
        self.set_state(id, LoadState::Applied);
        true
    }

    /// The load `id` ended: if it is still running (it never applied), it failed. The
    /// next queued load may then [`Loads::start`].
    pub fn end(&mut self, id: LoadId) {
        if self.state(id) == Some(LoadState::Running) {
            self.set_state(id, LoadState::Failed);
        }
    }

    /// Cancels the load `id` (running or queued) on the user's request; `false` when it
    /// had ended already.
    pub fn cancel(&mut self, id: LoadId) -> bool {
        if self.state(id).is_none_or(LoadState::is_over) {
            return false;
        }
        self.waiting.retain(|(w, _)| *w != id);
        self.set_state(id, LoadState::Cancelled(CancelledBy::User));
        true
    }

    /// Cancels the running load and every queued one, before `by` (Clear or Load demo)
    /// replaces the workspace; returns them (running first), to be told.
    pub fn cancel_all(&mut self, by: CancelledBy) -> Vec<Load> {
        self.waiting.clear();
        let mut cancelled = Vec::new();
        for load in &mut self.loads {
            if !load.state.is_over() {
                load.state = LoadState::Cancelled(by);
                cancelled.push(load.clone());
            }
        }
        // The running load first (it started before every queued one).
        cancelled.sort_by_key(|l| l.id);
        cancelled
    }

    /// The running load.
    pub fn running(&self) -> Option<&Load> {
        self.loads.iter().find(|l| l.state == LoadState::Running)
    }

    /// True while `id` is the running load.
    pub fn is_running(&self, id: LoadId) -> bool {
        self.state(id) == Some(LoadState::Running)
    }

    /// The queued loads, in the order they will run.
    pub fn queued(&self) -> Vec<&Load> {
        self.waiting
            .iter()
            .filter_map(|(id, _)| self.get(*id))
            .collect()
    }

    /// The load `id` (while it is kept).
    pub fn get(&self, id: LoadId) -> Option<&Load> {
        self.loads.iter().find(|l| l.id == id)
    }

    /// Where the load `id` stands.
    pub fn state(&self, id: LoadId) -> Option<LoadState> {
        self.get(id).map(|l| l.state)
    }

    /// Every load kept, in the order they were dropped.
    pub fn all(&self) -> &[Load] {
        &self.loads
    }

    fn set_state(&mut self, id: LoadId, state: LoadState) {
        if let Some(load) = self.loads.iter_mut().find(|l| l.id == id) {
            load.state = state;
        }
    }

    fn forget_old(&mut self) {
        let ended = self.loads.iter().filter(|l| l.state.is_over()).count();
        if ended > KEPT_ENDED {
            let mut excess = ended - KEPT_ENDED;
            self.loads.retain(|l| {
                let forget = excess > 0 && l.state.is_over();
                if forget {
                    excess -= 1;
                }
                !forget
            });
        }
    }
}

/// The message telling that `cancelled` loads were cancelled by `by` (`None` when none
/// was): which files, and that nothing of them was kept.
pub fn cancelled_message(by: CancelledBy, cancelled: &[Load]) -> Option<String> {
    let names: Vec<String> = cancelled.iter().map(Load::names).collect();
    let what = match names.as_slice() {
        [] => return None,
        [one] => format!("the load of {one}"),
        _ => format!("{} loads ({})", names.len(), names.join("; ")),
    };
    let them = if names.len() == 1 { "it" } else { "them" };
    Some(match by {
        CancelledBy::User => format!(
            "Load of {} cancelled: nothing from it was kept, the data is unchanged.",
            names.join("; ")
        ),
        CancelledBy::Clear => {
            format!("Clear workspace cancelled {what}: nothing from {them} was kept.")
        }
        CancelledBy::Demo => format!("Load demo cancelled {what}: nothing from {them} was kept."),
    })
}

/// What the queue shows for a queued load: "b.csv — queued: loads when the current
/// load ends".
pub fn queued_label(load: &Load) -> String {
    format!(
        "{} — queued: loads on top of the workspace when the current load ends",
        load.names()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_during_a_load_waits_and_runs_after_it() {
        let mut loads = Loads::new();
        let big = loads.drop_files(vec!["big.csv".into()], ());
        assert_eq!(loads.start().map(|(id, _)| id), Some(big));
        let small = loads.drop_files(vec!["small.csv".into()], ());
        assert_eq!(loads.start(), None, "one load runs at a time");
        assert_eq!(loads.state(big), Some(LoadState::Running));
        assert_eq!(loads.state(small), Some(LoadState::Queued));
        assert!(loads.apply(big));
        assert_eq!(loads.start().map(|(id, _)| id), Some(small));
        assert!(loads.apply(small));
        assert_eq!(loads.state(big), Some(LoadState::Applied));
    }

    #[test]
    fn clear_cancels_the_running_load_and_the_queue_and_says_so() {
        let mut loads = Loads::new();
        let big = loads.drop_files(vec!["big.csv".into()], ());
        loads.start();
        loads.drop_files(vec!["a.csv".into(), "b.csv".into()], ());
        let cancelled = loads.cancel_all(CancelledBy::Clear);
        assert_eq!(cancelled.len(), 2);
        assert!(!loads.apply(big), "a cancelled load applies nothing");
        assert_eq!(loads.start().map(|(id, _)| id), None);
        assert_eq!(
            cancelled_message(CancelledBy::Clear, &cancelled).as_deref(),
            Some("Clear workspace cancelled 2 loads (big.csv; a.csv, b.csv): nothing from them was kept.")
        );
        assert_eq!(cancelled_message(CancelledBy::Demo, &[]), None);
    }

    #[test]
    fn the_users_cancel_of_one_load_lets_the_next_run() {
        let mut loads = Loads::new();
        let big = loads.drop_files(vec!["big.csv".into()], ());
        loads.start();
        let next = loads.drop_files(vec!["next.csv".into()], ());
        assert!(loads.cancel(big));
        assert!(!loads.cancel(big), "once");
        assert_eq!(loads.start().map(|(id, _)| id), Some(next));
        let one: Vec<Load> = loads.get(big).into_iter().cloned().collect();
        assert_eq!(
            cancelled_message(CancelledBy::User, &one).as_deref(),
            Some("Load of big.csv cancelled: nothing from it was kept, the data is unchanged.")
        );
    }
}

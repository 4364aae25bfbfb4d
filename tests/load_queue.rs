//! The load queue's rules (`display::loads`), under random sequences of drops, finishes
//! (a load that loads some of its files, or whose worker stops), late finishes (a load
//! cancelled while its worker was answering, whose outcome still arrives), clears,
//! demos and the user's cancels. A driver does here what the page does
//! (`ui::components::progress`): a load takes the workspace as it is when it starts (the
//! worker's base), and applies `base + its files` only when the queue says it may.
//!
//! After every step: the workspace's files are exactly the files whose reports say
//! loaded, its rows are the sum of theirs, at most one load runs, every cancelled load
//! was told (by a message naming its files, from the user's cancel, Clear or Load
//! demo: never from a drop), and at the end every load has ended.

use kpi_dash::data::rng::Rng;
use kpi_dash::display::loads::{cancelled_message, CancelledBy, LoadId, LoadState, Loads};

/// A file of a drop: its name, its rows, and whether it fails (refused, unreadable).
#[derive(Clone, Debug, PartialEq)]
struct File {
    name: String,
    rows: u64,
    fails: bool,
}

/// A load whose future (file reads, worker, questions) is still in flight.
struct InFlight {
    id: LoadId,
    /// The workspace it loads into, taken when it started (empty while the demo shows).
    base: Vec<File>,
    files: Vec<File>,
}

/// What the page shows: the workspace (files in it), the demo flag, the reports, the
/// messages, and the loads in flight.
struct Page {
    loads: Loads<Vec<File>>,
    workspace: Vec<File>,
    demo: bool,
    reports: Vec<File>,
    messages: Vec<String>,
    in_flight: Vec<InFlight>,
    next_file: u32,
}

impl Page {
    fn new() -> Page {
        Page {
            loads: Loads::new(),
            workspace: Vec::new(),
            demo: true,
            reports: Vec::new(),
            messages: Vec::new(),
            in_flight: Vec::new(),
            next_file: 0,
        }
    }

    /// Starts the next queued load when none runs (the page does this after every
    /// drop and every end).
    fn pump(&mut self) {
        if let Some((id, files)) = self.loads.start() {
            let base = if self.demo {
                Vec::new()
            } else {
                self.workspace.clone()
            };
            self.in_flight.push(InFlight { id, base, files });
        }
    }

    fn drop_files(&mut self, rng: &mut Rng) -> LoadId {
        let count = 1 + rng.below(3);
        let files: Vec<File> = (0..count)
            .map(|_| {
                self.next_file += 1;
                File {
                    name: format!("f{}.csv", self.next_file),
                    rows: 1 + rng.below(1000) as u64,
                    fails: rng.chance(0.2),
                }
            })
            .collect();
        let names = files.iter().map(|f| f.name.clone()).collect();
        let id = self.loads.drop_files(names, files);
        self.pump();
        id
    }

    /// The in-flight load at `index` ends: it loads its files that do not fail (on its
    /// base), or its worker stops (nothing loads, an error shows).
    fn finish(&mut self, index: usize, worker_stops: bool) {
        let job = self.in_flight.remove(index);
        if !worker_stops {
            let loaded: Vec<File> = job.files.iter().filter(|f| !f.fails).cloned().collect();
            // The page asks right before it applies; a cancelled load applies nothing.
            if self.loads.apply(job.id) && !loaded.is_empty() {
                let mut ws = job.base;
                ws.extend(loaded.iter().cloned());
                self.workspace = ws;
                if self.demo {
                    self.reports.clear();
                }
                self.demo = false;
                self.reports.extend(loaded);
            }
        }
        self.loads.end(job.id);
        self.pump();
    }

    fn tell(&mut self, by: CancelledBy, cancelled: &[kpi_dash::display::loads::Load]) {
        if let Some(message) = cancelled_message(by, cancelled) {
            self.messages.push(message);
        }
    }

    fn clear(&mut self) {
        let cancelled = self.loads.cancel_all(CancelledBy::Clear);
        self.tell(CancelledBy::Clear, &cancelled);
        self.workspace.clear();
        self.reports.clear();
        self.demo = false;
    }

    fn demo(&mut self) {
        let cancelled = self.loads.cancel_all(CancelledBy::Demo);
        self.tell(CancelledBy::Demo, &cancelled);
        self.workspace.clear();
        self.reports.clear();
        self.demo = true;
    }

    fn cancel(&mut self, id: LoadId) {
        if self.loads.cancel(id) {
            let load: Vec<_> = self.loads.get(id).into_iter().cloned().collect();
            self.tell(CancelledBy::User, &load);
            self.pump();
        }
    }

    /// The invariants of every moment.
    fn check(&self, step: usize, what: &str) {
        let context = format!("step {step} ({what})");
        let mut in_ws: Vec<&str> = self.workspace.iter().map(|f| f.name.as_str()).collect();
        let mut reported: Vec<&str> = self.reports.iter().map(|f| f.name.as_str()).collect();
        in_ws.sort_unstable();
        reported.sort_unstable();
        if self.demo {
            assert!(self.workspace.is_empty(), "{context}: demo with user files");
            assert!(self.reports.is_empty(), "{context}: demo with reports");
        }
        assert_eq!(
            in_ws, reported,
            "{context}: workspace files != reported files"
        );
        let rows: u64 = self.workspace.iter().map(|f| f.rows).sum();
        let reported_rows: u64 = self.reports.iter().map(|f| f.rows).sum();
        assert_eq!(rows, reported_rows, "{context}: rows != Σ reported rows");
        assert!(
            self.workspace.iter().all(|f| !f.fails),
            "{context}: a failed file is in the workspace"
        );
        let running: Vec<_> = self
            .loads
            .all()
            .iter()
            .filter(|l| l.state == LoadState::Running)
            .collect();
        assert!(running.len() <= 1, "{context}: {} loads run", running.len());
        if let Some(run) = running.first() {
            assert!(
                self.in_flight.iter().any(|j| j.id == run.id),
                "{context}: the running load is not in flight"
            );
        }
        // A queued load waits only while another runs.
        if !self.loads.queued().is_empty() {
            assert_eq!(running.len(), 1, "{context}: loads wait with none running");
        }
    }
}

/// Every load cancelled by `by` was named by a message of that kind.
fn told(messages: &[String], by: CancelledBy, names: &str) -> bool {
    let prefix = match by {
        CancelledBy::User => "Load of ",
        CancelledBy::Clear => "Clear workspace cancelled ",
        CancelledBy::Demo => "Load demo cancelled ",
    };
    messages
        .iter()
        .any(|m| m.starts_with(prefix) && m.contains(names))
}

fn run_sequence(seed: u64, steps: usize) {
    let mut rng = Rng::new(seed);
    let mut page = Page::new();
    for step in 0..steps {
        let before: Vec<(LoadId, LoadState)> =
            page.loads.all().iter().map(|l| (l.id, l.state)).collect();
        let messages_before = page.messages.len();
        let roll = rng.below(100);
        let what = match roll {
            0..=34 => {
                page.drop_files(&mut rng);
                "drop"
            }
            35..=69 if !page.in_flight.is_empty() => {
                let index = rng.below(page.in_flight.len());
                page.finish(index, rng.chance(0.1));
                "finish"
            }
            70..=77 => {
                page.clear();
                "clear"
            }
            78..=82 => {
                page.demo();
                "demo"
            }
            83..=91 => {
                let running = page.loads.running().map(|l| l.id);
                if let Some(id) = running {
                    page.cancel(id);
                }
                "cancel the running load"
            }
            92..=99 => {
                let queued: Vec<LoadId> = page.loads.queued().iter().map(|l| l.id).collect();
                if !queued.is_empty() {
                    page.cancel(queued[rng.below(queued.len())]);
                }
                "cancel a queued load"
            }
            _ => "nothing",
        };
        page.check(step, what);
        // Nothing is cancelled but by the user's cancel, Clear or Load demo; a drop or
        // an end never cancels anything, and says nothing.
        for (id, was) in before {
            let now = page.loads.state(id);
            let newly_cancelled = matches!(now, Some(LoadState::Cancelled(_))) && now != Some(was);
            if newly_cancelled {
                assert!(
                    matches!(
                        what,
                        "clear" | "demo" | "cancel the running load" | "cancel a queued load"
                    ),
                    "step {step}: load {id} was cancelled by a {what}"
                );
            }
        }
        if matches!(what, "drop" | "finish") {
            assert_eq!(
                page.messages.len(),
                messages_before,
                "step {step}: a {what} said something"
            );
        }
    }
    // Every load ends once what is in flight finishes.
    while !page.in_flight.is_empty() {
        page.finish(0, false);
        page.check(steps, "drain");
    }
    for load in page.loads.all() {
        match load.state {
            LoadState::Queued | LoadState::Running => {
                panic!("seed {seed}: load {} never ended", load.id)
            }
            LoadState::Cancelled(by) => assert!(
                told(&page.messages, by, &load.names()),
                "seed {seed}: load {} ({}) was cancelled by {by:?} silently",
                load.id,
                load.names()
            ),
            LoadState::Applied | LoadState::Failed => {}
        }
    }
}

#[test]
fn random_sequences_keep_the_workspace_equal_to_the_reported_files() {
    for seed in 0..300 {
        run_sequence(seed, 200);
    }
}

#[test]
fn a_small_drop_during_a_big_load_is_loaded_on_top_of_it() {
    let mut rng = Rng::new(1);
    let mut page = Page::new();
    let base = page.drop_files(&mut rng);
    page.finish(0, false);
    let big = page.drop_files(&mut rng);
    let small = page.drop_files(&mut rng);
    assert_eq!(page.loads.state(small), Some(LoadState::Queued));
    page.finish(0, false);
    assert_eq!(page.loads.state(big), Some(LoadState::Applied));
    assert_eq!(page.loads.state(small), Some(LoadState::Running));
    page.finish(0, false);
    page.check(0, "three loads");
    let expected: u64 = [base, big, small]
        .iter()
        .filter_map(|id| page.loads.get(*id))
        .flat_map(|l| l.files.clone())
        .filter_map(|name| page.reports.iter().find(|f| f.name == name))
        .map(|f| f.rows)
        .sum();
    assert_eq!(page.workspace.iter().map(|f| f.rows).sum::<u64>(), expected);
    assert!(page.messages.is_empty(), "{:?}", page.messages);
}

#[test]
fn clear_during_a_load_keeps_the_workspace_cleared_even_when_its_outcome_arrives() {
    let mut rng = Rng::new(2);
    let mut page = Page::new();
    page.drop_files(&mut rng);
    page.finish(0, false);
    let big = page.drop_files(&mut rng);
    page.clear();
    assert_eq!(
        page.loads.state(big),
        Some(LoadState::Cancelled(CancelledBy::Clear))
    );
    // The worker's outcome arrives after the clear: nothing of it comes back.
    page.finish(0, false);
    page.check(0, "late finish");
    assert!(page.workspace.is_empty());
    assert_eq!(page.messages.len(), 1);
    assert!(page.messages[0].starts_with("Clear workspace cancelled the load of "));
}

//! Churn soak: containers created, started, stopped, killed, paused, renamed and removed at
//! random while dockpit runs; at checkpoints the churn pauses and every field of every row
//! dockpit shows is compared with what the Engine API lists (`docker ps -a`). Run short by
//! the suite (`tests/soak.rs`) and long by `tests/soak.sh` (`examples/soak.rs`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::{
    KillContainerOptions, ListContainersOptions, RenameContainerOptions, StopContainerOptions,
};

use super::{procfs, screen};

/// At most this many churn containers exist at once, so every row fits on the screen.
const LIVE: usize = 12;

pub struct Outcome {
    pub seed: u64,
    /// Operations the daemon carried out, of those tried (some make no sense for the
    /// container's state at that moment and are refused: a pause of an exited one).
    pub done: usize,
    pub tried: usize,
    pub checks: usize,
    /// Every difference between a shown row and the daemon's, at the checkpoint where it
    /// stayed.
    pub mismatches: Vec<String>,
    /// (seconds, RSS KiB) every 10 s.
    pub samples: Vec<(u64, u64)>,
}

/// A small xorshift: the soak's choices, reproducible from the seed it prints.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Churns for `secs`, checking every `check_every`; `test` labels what it creates.
pub async fn run(test: &str, secs: u64, check_every: Duration) -> Outcome {
    let seed = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 | 1)
        });
    let mut random = Random(seed);
    let docker = super::docker().await;
    super::cleanup(&docker, test).await;
    let prefix = super::unique(test);

    let mut app = screen::App::start(160, 45, &[]);
    app.wait_for("the dashboard", Duration::from_secs(10), |s| {
        s.contains("Containers —")
    });
    // Only this soak's rows: other tests may share the engine.
    app.keys("/");
    app.keys(&prefix);
    app.keys("\r");
    let pid = app.pid();
    let mut outcome = Outcome {
        seed,
        done: 0,
        tried: 0,
        checks: 0,
        mismatches: Vec::new(),
        samples: Vec::new(),
    };
    let start = Instant::now();
    let mut next_check = check_every;
    let mut next_sample = Duration::ZERO;
    let mut live: Vec<String> = Vec::new();
    let mut created = 0;
    while start.elapsed() < Duration::from_secs(secs) {
        outcome.tried += 1;
        let ok = if live.len() < LIVE / 2 || (live.len() < LIVE && random.below(4) == 0) {
            let name = format!("{prefix}-{created:05}");
            created += 1;
            // Some sleep, some exit by themselves with a code of their own.
            let cmd: &[&str] = if random.below(3) == 0 {
                &["sh", "-c", "sleep 2; exit 3"]
            } else {
                &["sleep", "600"]
            };
            super::create(&docker, test, &name, cmd).await;
            live.push(name);
            true
        } else {
            let at = random.below(live.len());
            let name = live[at].clone();
            let result = match random.below(8) {
                0 | 1 => docker.start_container(&name, None).await,
                2 => {
                    let options = StopContainerOptions {
                        t: Some(1),
                        ..Default::default()
                    };
                    docker.stop_container(&name, Some(options)).await
                }
                3 => {
                    let options = KillContainerOptions {
                        signal: "SIGKILL".into(),
                    };
                    docker.kill_container(&name, Some(options)).await
                }
                4 => docker.pause_container(&name).await,
                5 => docker.unpause_container(&name).await,
                6 => {
                    let renamed = format!("{prefix}-{created:05}-r");
                    created += 1;
                    let options = RenameContainerOptions {
                        name: renamed.clone(),
                    };
                    let result = docker.rename_container(&name, options).await;
                    if result.is_ok() {
                        live[at] = renamed;
                    }
                    result
                }
                _ => {
                    super::remove(&docker, &name).await;
                    live.remove(at);
                    Ok(())
                }
            };
            result.is_ok()
        };
        outcome.done += usize::from(ok);
        if start.elapsed() >= next_sample {
            outcome
                .samples
                .push((start.elapsed().as_secs(), procfs::rss_kib(pid)));
            next_sample += Duration::from_secs(10);
        }
        if start.elapsed() >= next_check {
            check(&docker, &app, test, &mut outcome).await;
            next_check = start.elapsed() + check_every;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(&docker, &app, test, &mut outcome).await;
    app.keys("q");
    app.wait_exit(Duration::from_secs(5));
    super::cleanup(&docker, test).await;
    outcome
}

/// One checkpoint: the churn rests a moment (for the last events to arrive), then the shown
/// rows must equal the listed ones, field by field; a difference must persist for 3 s
/// (a frame caught between an event and its listing is not a wrong row).
async fn check(docker: &Docker, app: &screen::App, test: &str, outcome: &mut Outcome) {
    outcome.checks += 1;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut differences = Vec::new();
    for _ in 0..6 {
        let listed = listed(docker, test).await;
        let shown = shown(&app.screen());
        differences = compare(&shown, &listed);
        if differences.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    outcome.mismatches.extend(differences);
    outcome
        .mismatches
        .push(format!("the screen at that point:\n{}", app.screen()));
}

/// The fields the containers pane shows, by name: image, state, status, ports, short id.
pub type Rows = BTreeMap<String, [String; 5]>;

/// What `docker ps -a` shows of this soak's containers, from the Engine API.
async fn listed(docker: &Docker, test: &str) -> Rows {
    let filters = [("label".to_string(), vec![super::label_filter(test)])].into();
    let options = ListContainersOptions {
        all: true,
        filters: Some(filters),
        ..Default::default()
    };
    let list = docker.list_containers(Some(options)).await.expect("list");
    list.iter()
        .map(|c| {
            let name = c
                .names
                .as_ref()
                .and_then(|n| n.first())
                .cloned()
                .unwrap_or_default();
            let image = c.image.clone().unwrap_or_default();
            let state = c.state.map(|s| s.to_string()).unwrap_or_default();
            let id = c.id.clone().unwrap_or_default();
            (
                name.trim_start_matches('/').to_string(),
                [
                    image,
                    state,
                    c.status.clone().unwrap_or_default(),
                    // The soak's containers publish no ports.
                    String::new(),
                    id.chars().take(12).collect(),
                ],
            )
        })
        .collect()
}

/// The containers pane's rows, cut at the header's column starts.
fn shown(screen: &str) -> Rows {
    let mut lines = screen
        .lines()
        .skip_while(|l| !l.contains("Containers —"))
        .skip(1);
    let header: Vec<char> = lines.next().unwrap_or_default().chars().collect();
    let at = |name: &str| -> Option<usize> {
        let name: Vec<char> = name.chars().collect();
        header
            .windows(name.len())
            .position(|w| w == name.as_slice())
    };
    // A column empty on every row in view takes no room (PORTS, most often): its cells are
    // empty then.
    let columns = ["NAME", "IMAGE", "STATE", "STATUS", "PORTS", "CONTAINER ID"];
    let starts: Vec<Option<usize>> = columns.iter().map(|c| at(c)).collect();
    if starts[0].is_none() {
        return Rows::new();
    }
    let mut present: Vec<usize> = starts.iter().flatten().copied().collect();
    present.sort_unstable();
    lines
        .take_while(|l| l.starts_with('│'))
        .filter_map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let cell = |i: usize| -> String {
                let Some(start) = starts[i] else {
                    return String::new();
                };
                let end = present
                    .iter()
                    .find(|&&p| p > start)
                    .copied()
                    .unwrap_or(chars.len() - 1);
                chars[start.min(end)..end.min(chars.len())]
                    .iter()
                    .collect::<String>()
                    .trim_matches(|c: char| c.is_whitespace() || c == '│')
                    .to_string()
            };
            let name = cell(0);
            (!name.is_empty()).then(|| (name, [cell(1), cell(2), cell(3), cell(4), cell(5)]))
        })
        .collect()
}

/// Every difference between the shown and the listed rows. Durations in statuses may differ
/// by the moment between reading the screen and listing: up to 2 s either way.
pub fn compare(shown: &Rows, listed: &Rows) -> Vec<String> {
    let mut out = Vec::new();
    for (name, fields) in listed {
        let Some(on_screen) = shown.get(name) else {
            out.push(format!("{name}: listed by the daemon, not shown"));
            continue;
        };
        for (i, column) in ["IMAGE", "STATE", "STATUS", "PORTS", "CONTAINER ID"]
            .iter()
            .enumerate()
        {
            let same = if i == 2 {
                same_status(&on_screen[i], &fields[i])
            } else {
                on_screen[i] == fields[i]
            };
            if !same {
                out.push(format!(
                    "{name}: {column} shown {:?}, the daemon's {:?}",
                    on_screen[i], fields[i]
                ));
            }
        }
    }
    for name in shown.keys().filter(|n| !listed.contains_key(*n)) {
        out.push(format!("{name}: shown, not listed by the daemon"));
    }
    out
}

fn same_status(shown: &str, listed: &str) -> bool {
    let pattern =
        regex::Regex::new(r"^(Up |(?:Exited|Restarting) \(-?\d+\) )(.+?)( ago| \(.+\))?$")
            .expect("the status pattern");
    match (pattern.captures(shown), pattern.captures(listed)) {
        (Some(a), Some(b)) => {
            let part = |c: &regex::Captures, i| c.get(i).map_or("", |m| m.as_str()).to_string();
            let range = |c: &regex::Captures| dockpit::format::duration_range(&part(c, 2));
            let near = match (range(&a), range(&b)) {
                (Some((from_a, to_a)), Some((from_b, to_b))) => {
                    from_a <= to_b + 2 && from_b <= to_a + 2
                }
                _ => false,
            };
            part(&a, 1) == part(&b, 1) && part(&a, 3) == part(&b, 3) && near
        }
        _ => shown == listed,
    }
}

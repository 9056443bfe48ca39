//! The event loop: terminal input, Docker events and the clock in; one `update` per event;
//! one frame per batch of events.

use std::io;
use std::ops::ControlFlow;
use std::time::Duration;

use tokio::time::Instant;

use crossterm::event::{Event as TermEvent, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::app::Local;
use crate::app::{App, Event};
use crate::docker::fleet::Fleet;
use crate::docker::{DockerEvent, HostId};
use crate::forwards::Forwards;
use crate::ui;

pub struct Channels {
    /// Each host's Docker task.
    pub fleet: Fleet,
    /// Their events, tagged with the host.
    pub docker: UnboundedReceiver<(HostId, DockerEvent)>,
}

/// The longest a frame waits while queued Docker events are folded into it.
const BATCH: Duration = Duration::from_millis(8);
/// The shortest time between two frames (60 per second at most).
const FRAME: Duration = Duration::from_millis(16);

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A frame between the terminal's synchronized-update marks (DEC mode 2026): a terminal
/// that knows them shows it whole, never half drawn; the others ignore them. Only on a
/// terminal (not when a test's backend draws).
fn synchronized(begin: bool) {
    use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
    use std::io::IsTerminal;
    let mut out = io::stdout();
    if !out.is_terminal() {
        return;
    }
    // The begin mark goes out with the frame's own flush; a lost mark costs only tearing.
    let _ = match begin {
        true => crossterm::queue!(out, BeginSynchronizedUpdate),
        false => crossterm::execute!(out, EndSynchronizedUpdate),
    };
}

/// Runs until the user quits, the input ends, or `stop` resolves (a signal); then ends
/// the local forwards' ssh children, so none outlives dockpit.
pub async fn run<B, I>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    input: I,
    channels: Channels,
    stop: impl std::future::Future<Output = ()>,
) -> io::Result<()>
where
    B: Backend,
    B::Error: Into<io::Error>,
    I: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    let mut forwards = Forwards::default();
    let result = event_loop(terminal, app, input, channels, stop, &mut forwards).await;
    forwards.close_all().await;
    result
}

async fn event_loop<B, I>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut input: I,
    mut channels: Channels,
    stop: impl std::future::Future<Output = ()>,
    forwards: &mut Forwards,
) -> io::Result<()>
where
    B: Backend,
    B::Error: Into<io::Error>,
    I: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    // The first tick a second from now: the app starts with the time (an immediate tick
    // would draw a frame, and the first rows would wait FRAME behind it).
    let second = Duration::from_secs(1);
    let mut clock = tokio::time::interval_at(Instant::now() + second, second);
    // Local effects (a saved file) answer here.
    let (local_tx, mut local_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::pin!(stop);
    let draw = |terminal: &mut Terminal<B>, app: &App| {
        synchronized(true);
        let drawn = terminal
            .draw(|frame| ui::render(frame, app))
            .map(|_| ())
            .map_err(Into::into);
        synchronized(false);
        drawn
    };
    draw(terminal, app)?;
    // Debug builds only: lets the end-to-end tests check the terminal is restored after a
    // panic (dockpit has no input that panics).
    #[cfg(debug_assertions)]
    if std::env::var_os("DOCKPIT_DEBUG_PANIC").is_some() {
        panic!("panic requested by DOCKPIT_DEBUG_PANIC");
    }
    // Frames are paced: the first change after a quiet spell draws at once, a stream of
    // changes (a flood of terminal output) draws at most once per FRAME.
    // The first frame is drawn before anything happened: the first change (the first rows)
    // follows it at once.
    let mut next_frame = Instant::now();
    let mut dirty = false;
    loop {
        let event = tokio::select! {
            _ = tokio::time::sleep_until(next_frame), if dirty => {
                draw(terminal, app)?;
                dirty = false;
                next_frame = Instant::now() + FRAME;
                continue;
            }
            input = input.next() => match from_terminal(input) {
                ControlFlow::Continue(Some(event)) => event,
                ControlFlow::Continue(None) => continue,
                ControlFlow::Break(result) => return result,
            },
            Some((host, event)) = channels.docker.recv() => Event::Host(host, event),
            Some(event) = local_rx.recv() => event,
            _ = clock.tick() => Event::Tick(now()),
            () = &mut stop => return Ok(()),
        };
        let mut out = Out {
            fleet: &mut channels.fleet,
            forwards: &mut *forwards,
            local: &local_tx,
        };
        dispatch(app, event, &mut out);
        dispatch_arrived(app, &mut channels.docker, &mut out);
        if app.should_quit {
            return Ok(());
        }
        dirty = true;
        if Instant::now() >= next_frame {
            draw(terminal, app)?;
            dirty = false;
            next_frame = Instant::now() + FRAME;
        }
    }
}

/// A terminal event as the app takes it: `None` for one it has no use for (a key's
/// release, focus changes); `Break` when the terminal failed or is gone (nothing left to
/// draw on).
fn from_terminal(
    input: Option<io::Result<TermEvent>>,
) -> ControlFlow<io::Result<()>, Option<Event>> {
    use ControlFlow::{Break, Continue};
    match input {
        Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
            Continue(Some(Event::Key(key)))
        }
        Some(Ok(TermEvent::Resize(w, h))) => Continue(Some(Event::Resize(w, h))),
        Some(Ok(TermEvent::Paste(text))) => Continue(Some(Event::Paste(text))),
        Some(Ok(TermEvent::Mouse(mouse))) => Continue(Some(Event::Mouse(mouse))),
        Some(Ok(_)) => Continue(None),
        Some(Err(e)) => Break(Err(e)),
        None => Break(Ok(())),
    }
}

/// Folds whatever else the hosts already sent into the same frame, but only for a few
/// milliseconds: under a flood of terminal output, keys must still get through.
fn dispatch_arrived(
    app: &mut App,
    docker: &mut UnboundedReceiver<(HostId, DockerEvent)>,
    out: &mut Out,
) {
    let batch = Instant::now();
    while batch.elapsed() < BATCH {
        let Ok((host, event)) = docker.try_recv() else {
            break;
        };
        dispatch(app, Event::Host(host, event), out);
    }
}

/// Where effects go: the hosts' tasks, the forwards' children, the local effects' answers.
struct Out<'a> {
    fleet: &'a mut Fleet,
    forwards: &'a mut Forwards,
    local: &'a UnboundedSender<Event>,
}

fn dispatch(app: &mut App, event: Event, out: &mut Out) {
    let effects = app.update(event);
    // Hosts first: a command may be for a host just added.
    for effect in effects.local {
        match effect {
            Local::AddHost(host, endpoint) => out.fleet.add(host, endpoint),
            Local::RemoveHost(host) => out.fleet.remove(host),
            Local::Forward(request) => out.forwards.start(request, out.local),
            Local::CloseForward(id) => out.forwards.close(id),
            effect => crate::local::carry_out(effect, out.local),
        }
    }
    for (host, command) in effects.docker {
        out.fleet.send(host, command);
    }
}

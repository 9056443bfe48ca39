//! What happened while dockpit was closed: the daemon's events between the last one dockpit
//! saw and now, read once from the daemon's bounded backlog (`since` and `until` end the
//! request instead of following it).

use bollard::Docker;
use futures::StreamExt;

use super::{EngineEvent, convert};

/// The most events read back: the daemon keeps fewer (moby: 256), this bounds a hostile one.
const MAX_EVENTS: usize = 10_000;

/// The events from `since` (Unix nanoseconds, the daemon's own clock as its last event said)
/// until `until` (Unix seconds), oldest first.
pub async fn since(docker: &Docker, since: i64, until: i64) -> Result<Vec<EngineEvent>, String> {
    let (secs, nanos) = (
        since.div_euclid(1_000_000_000),
        since.rem_euclid(1_000_000_000),
    );
    let path = format!("/events?since={secs}.{nanos:09}&until={until}");
    let mut stream = Box::pin(super::raw::json_lines::<bollard::models::EventMessage>(
        super::raw::get(docker, &path),
        1024 * 1024,
        "an event",
    ));
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        let message = item.map_err(|e| e.to_string())?;
        events.push(convert::engine_event(&message));
        if events.len() >= MAX_EVENTS {
            break;
        }
    }
    Ok(events)
}

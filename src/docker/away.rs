//! What happened while dockpit was closed: the daemon's events between the last one dockpit
//! saw and now, read once from the daemon's bounded backlog (`since` and `until` end the
//! request instead of following it).

use bollard::Docker;
use futures::StreamExt;

use super::{EngineEvent, convert};

/// The most events read back: the daemon keeps fewer (moby: 256), this bounds a hostile one.
const MAX_EVENTS: usize = 10_000;

/// The events from `since` (Unix nanoseconds, the daemon's own clock as its last event said)
/// until now, oldest first. Now is this machine's clock as the request leaves: the events
/// stream, subscribed when the host answered, before this, has what follows.
pub async fn since(docker: &Docker, since: i64) -> Result<Vec<EngineEvent>, String> {
    let until = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
    let path = format!("/events?since={}&until={}", stamp(since), stamp(until));
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

/// Unix nanoseconds as the daemon's `since` and `until` take them: "seconds.nanoseconds".
fn stamp(nanos: i64) -> String {
    let (secs, frac) = (
        nanos.div_euclid(1_000_000_000),
        nanos.rem_euclid(1_000_000_000),
    );
    format!("{secs}.{frac:09}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_time_is_seconds_dot_nanoseconds() {
        assert_eq!(
            super::stamp(1_796_473_094_000_000_007),
            "1796473094.000000007"
        );
    }
}

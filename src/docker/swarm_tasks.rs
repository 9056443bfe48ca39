//! The tasks of a Swarm, as its manager lists them, for the `task-failed` alert: a task that
//! fails on a node dockpit does not watch sends no event to the manager, so the app asks
//! now and then (answers [`super::Command::SwarmTasks`]).

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::Task;
use bollard::query_parameters::{ListServicesOptions, ListTasksOptions};

use super::actions::OpError;
use super::swarm::{TaskRow, task_row};

/// A task as the alerts read it: its row, and what the row leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLook {
    pub row: TaskRow,
    /// Its service's name (the row's id when the service is gone).
    pub service: String,
    /// Its container's exit code, once it ended.
    pub exit: Option<i64>,
    pub image: String,
    /// Its container's labels, as the task's spec gives them.
    pub labels: Vec<(String, String)>,
}

/// Every task meant to run or shut down (a failed task is shut down by the orchestrator at
/// once; tasks of removed services are left out), with their services' names.
pub async fn look(docker: &Docker) -> Result<Vec<TaskLook>, OpError> {
    let desired = ["running", "shutdown"].map(String::from).to_vec();
    let tasks = ListTasksOptions {
        filters: Some(HashMap::from([("desired-state".to_string(), desired)])),
    };
    let (services, tasks) = tokio::try_join!(
        async { (docker.list_services(None::<ListServicesOptions>).await).map_err(OpError::from) },
        async { docker.list_tasks(Some(tasks)).await.map_err(OpError::from) },
    )?;
    let names: HashMap<&str, &str> = (services.iter())
        .filter_map(|s| Some((s.id.as_deref()?, s.spec.as_ref()?.name.as_deref()?)))
        .collect();
    Ok(tasks.into_iter().map(|t| task_look(t, &names)).collect())
}

fn task_look(task: Task, names: &HashMap<&str, &str>) -> TaskLook {
    let exit = (task.status.as_ref())
        .and_then(|s| s.container_status.as_ref())
        .and_then(|c| c.exit_code);
    let spec = (task.spec.as_ref()).and_then(|s| s.container_spec.as_ref());
    let image = spec.and_then(|c| c.image.clone()).unwrap_or_default();
    let mut labels: Vec<(String, String)> = (spec.and_then(|c| c.labels.clone()))
        .unwrap_or_default()
        .into_iter()
        .collect();
    labels.sort();
    let row = task_row(task, names);
    let service = names
        .get(row.service_id.as_str())
        .map_or_else(|| row.service_id.clone(), |s| s.to_string());
    TaskLook {
        row,
        service,
        exit,
        image,
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{
        ContainerStatus, TaskSpec, TaskSpecContainerSpec, TaskState, TaskStatus,
    };

    #[test]
    fn a_task_is_read_with_its_service_name_exit_code_and_image() {
        let task = Task {
            id: Some("t1".into()),
            service_id: Some("s1".into()),
            slot: Some(2),
            node_id: Some("n2".into()),
            desired_state: Some(TaskState::SHUTDOWN),
            status: Some(TaskStatus {
                state: Some(TaskState::FAILED),
                err: Some("task: non-zero exit (1)".into()),
                container_status: Some(ContainerStatus {
                    container_id: Some("c1".into()),
                    exit_code: Some(1),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            spec: Some(TaskSpec {
                container_spec: Some(TaskSpecContainerSpec {
                    image: Some("busybox:1".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let look = task_look(task, &HashMap::from([("s1", "web")]));
        assert_eq!(look.row.name, "web.2");
        assert_eq!(look.row.state, "failed");
        assert_eq!(look.row.desired, "shutdown");
        assert_eq!(look.service, "web");
        assert_eq!(look.exit, Some(1));
        assert_eq!(look.image, "busybox:1");
    }
}

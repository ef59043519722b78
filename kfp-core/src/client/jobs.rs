//! Recurring runs (the API's jobs): a pipeline started on a cron or periodic schedule.

use std::time::Duration;

use super::submit::check_arguments;
use super::transport::{encode, Body};
use super::{
    spec_and_references, workflow_value, Client, ClientError, CronSchedule, Job, ListJobsResponse, ListOptions, Page,
    PeriodicSchedule, PipelineSource, Trigger, API,
};

/// When a recurring run starts runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// At the times of a cron expression: six fields, seconds first (`0 0 3 * * *`
    /// is 03:00 every day), or `@daily`, `@every 6h`; see [`check_cron`](super::check_cron).
    Cron(String),
    /// Every so long (whole seconds, at least one).
    Every(Duration),
}

/// A recurring run to create with [`Client::create_job`] (kfp's `create_recurring_run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateJob {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The experiment its runs belong to (the server's default experiment when `None`).
    pub experiment_id: Option<String>,
    /// What each run executes.
    pub source: PipelineSource,
    /// Parameter values of each run, as text.
    pub parameters: Vec<(String, String)>,
    /// When runs start.
    pub schedule: Schedule,
    /// No run before this time (RFC 3339, `2025-01-01T00:00:00Z`).
    pub start_time: Option<String>,
    /// No run after this time (RFC 3339).
    pub end_time: Option<String>,
    /// How many of its runs may run at once: 1 (the default, as kfp's) to 10.
    pub max_concurrency: i64,
    /// After a pause, start only the latest missed run instead of one per missed
    /// interval (kfp's `no_catchup`; default `false`: catch up).
    pub no_catchup: bool,
    /// Whether it starts runs once created (default `true`).
    pub enabled: bool,
    /// Kubernetes service account of its runs (server default when `None`).
    pub service_account: Option<String>,
}

impl CreateJob {
    /// A recurring run named `name` of `source` on `schedule`, with kfp's defaults:
    /// enabled, one run at a time, catching up.
    pub fn new(name: impl Into<String>, source: PipelineSource, schedule: Schedule) -> Self {
        CreateJob {
            name: name.into(),
            description: None,
            experiment_id: None,
            source,
            parameters: Vec::new(),
            schedule,
            start_time: None,
            end_time: None,
            max_concurrency: 1,
            no_catchup: false,
            enabled: true,
            service_account: None,
        }
    }

    /// `Ok`, or what the API would refuse (a bad cron expression, interval,
    /// concurrency or time, parameters a Workflow sent inline does not declare
    /// or needs), found without asking it; [`Client::create_job`] checks this first.
    pub fn check(&self) -> Result<(), ClientError> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("a recurring run needs a name".to_owned());
        }
        match &self.schedule {
            Schedule::Cron(cron) => problems.extend(super::check_cron(cron).err()),
            Schedule::Every(interval) if interval.as_secs() == 0 => problems.push(format!(
                "the interval {interval:?} is under a second: KFP schedules in whole seconds, give at least 1"
            )),
            Schedule::Every(interval) if i64::try_from(interval.as_secs()).is_err() => problems
                .push(format!("the interval of {} s is more than KFP counts (a 64-bit integer)", interval.as_secs())),
            Schedule::Every(_) => {}
        }
        if !(1..=10).contains(&self.max_concurrency) {
            problems.push(format!(
                "max concurrency {} is out of KFP's range: give 1 to 10 runs at once",
                self.max_concurrency
            ));
        }
        for (what, time) in [("start", &self.start_time), ("end", &self.end_time)] {
            if let Some(time) = time {
                problems.extend(check_time(time).err().map(|why| format!("{what} time {why}")));
            }
        }
        if let PipelineSource::Package(text) = &self.source {
            problems.extend(self.arguments(text).err().map(|error| error.to_string()));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ClientError::Config(format!("recurring run `{}`: {}", self.name, problems.join("; "))))
        }
    }

    /// The parameters with kfp's names, checked against the Workflow sent inline
    /// as a submitted run's are: unknown or missing ones are errors.
    fn arguments(&self, workflow: &str) -> Result<Vec<(String, String)>, ClientError> {
        check_arguments(&workflow_value(workflow)?, &self.parameters)
    }
}

impl Client {
    /// Creates a recurring run; a bad cron expression, interval, concurrency or
    /// time is an error before anything is sent.
    pub fn create_job(&self, job: &CreateJob) -> Result<Job, ClientError> {
        job.check()?;
        let parameters = match &job.source {
            PipelineSource::Package(text) => job.arguments(text)?,
            _ => job.parameters.clone(),
        };
        let (spec, references) = spec_and_references(job.experiment_id.as_deref(), &job.source, &parameters)?;
        let (start_time, end_time) = (job.start_time.clone(), job.end_time.clone());
        let trigger = match &job.schedule {
            Schedule::Cron(cron) => Trigger {
                cron_schedule: Some(CronSchedule { start_time, end_time, cron: Some(cron.trim().to_owned()) }),
                ..Trigger::default()
            },
            Schedule::Every(interval) => Trigger {
                periodic_schedule: Some(PeriodicSchedule {
                    start_time,
                    end_time,
                    // `check` refused an interval over i64::MAX.
                    interval_second: Some(i64::try_from(interval.as_secs()).unwrap_or(i64::MAX)),
                }),
                ..Trigger::default()
            },
        };
        let body = Job {
            name: Some(job.name.clone()),
            description: job.description.clone(),
            pipeline_spec: Some(spec),
            resource_references: references,
            service_account: job.service_account.clone(),
            max_concurrency: Some(job.max_concurrency),
            trigger: Some(trigger),
            enabled: Some(job.enabled),
            no_catchup: job.no_catchup.then_some(true),
            ..Job::default()
        };
        let operation = format!("create recurring run {}", job.name);
        self.transport.json(&operation, "POST", &format!("{API}/jobs"), &[], Body::json(&body)?)
    }

    /// The recurring run `id`.
    pub fn get_job(&self, id: &str) -> Result<Job, ClientError> {
        let path = format!("{API}/jobs/{}", encode(id));
        self.transport.json(&format!("get recurring run {id}"), "GET", &path, &[], Body::None)
    }

    /// One page of recurring runs (of `experiment_id` when given).
    pub fn list_jobs(&self, options: &ListOptions, experiment_id: Option<&str>) -> Result<Page<Job>, ClientError> {
        let mut query = options.query();
        if let Some(experiment) = experiment_id {
            query.push(("resource_reference_key.type", "EXPERIMENT".to_owned()));
            query.push(("resource_reference_key.id", experiment.to_owned()));
        }
        let list: ListJobsResponse =
            self.transport.json("list recurring runs", "GET", &format!("{API}/jobs"), &query, Body::None)?;
        Ok(list.into())
    }

    /// Lets the recurring run `id` start runs again.
    pub fn enable_job(&self, id: &str) -> Result<(), ClientError> {
        self.job_action(id, "enable")
    }

    /// Stops the recurring run `id` from starting runs (those running go on).
    pub fn disable_job(&self, id: &str) -> Result<(), ClientError> {
        self.job_action(id, "disable")
    }

    /// Deletes the recurring run `id` (not the runs it started).
    pub fn delete_job(&self, id: &str) -> Result<(), ClientError> {
        let path = format!("{API}/jobs/{}", encode(id));
        let _: serde_json::Value =
            self.transport.json(&format!("delete recurring run {id}"), "DELETE", &path, &[], Body::None)?;
        Ok(())
    }

    fn job_action(&self, id: &str, action: &str) -> Result<(), ClientError> {
        let path = format!("{API}/jobs/{}/{action}", encode(id));
        let _: serde_json::Value =
            self.transport.json(&format!("{action} recurring run {id}"), "POST", &path, &[], Body::None)?;
        Ok(())
    }
}

/// `Ok` for an RFC 3339 time as the API reads it (`2025-01-01T00:00:00Z`,
/// `2025-01-01T09:30:00+02:00`); else what is wrong.
fn check_time(time: &str) -> Result<(), String> {
    let bytes = time.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let number = |range: std::ops::Range<usize>| time.get(range).and_then(|text| text.parse::<u32>().ok());
    let shape = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(bytes.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16)
        && bytes.get(16) == Some(&b':')
        && digits(17..19);
    let mut rest = time.get(19..).unwrap_or_default();
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction.find(|c: char| !c.is_ascii_digit()).unwrap_or(fraction.len());
        rest = if end == 0 { "?" } else { &fraction[end..] };
    }
    let zone = matches!(rest, "Z" | "z")
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && rest[1..3].bytes().chain(rest[4..6].bytes()).all(|b| b.is_ascii_digit()));
    let in_range = shape
        && (1..=12).contains(&number(5..7).unwrap_or(0))
        && (1..=31).contains(&number(8..10).unwrap_or(0))
        && number(11..13).is_some_and(|h| h < 24)
        && number(14..16).is_some_and(|m| m < 60)
        && number(17..19).is_some_and(|s| s < 61);
    if in_range && zone {
        Ok(())
    } else {
        Err(format!("`{time}` is not an RFC 3339 time: write it as 2025-01-01T00:00:00Z (or with an offset, +02:00)"))
    }
}

#[cfg(test)]
mod tests {
    use super::check_time;

    #[test]
    fn rfc3339_times() {
        for good in ["2025-01-01T00:00:00Z", "2025-12-31T23:59:59.5+02:00", "2025-06-01t09:30:00-07:00"] {
            assert_eq!(check_time(good), Ok(()), "{good}");
        }
        for bad in ["2025-01-01", "2025-01-01 00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-01T00:00:00", "tomorrow"] {
            assert!(check_time(bad).unwrap_err().contains("2025-01-01T00:00:00Z"), "{bad}");
        }
    }
}

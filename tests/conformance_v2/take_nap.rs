//! `take_nap.yaml`: two Rust components, caching off, an integer parameter's default.

use kfp::prelude::*;

/// Sleeps for secs
#[component]
pub fn take_nap(naptime_secs: i64) -> String {
    std::thread::sleep(std::time::Duration::from_secs(naptime_secs.max(0) as u64));
    "I'm awake now. Did I snore?".to_owned()
}

/// Wakes up from nap printing a message
#[component]
pub fn wake_up(message: String) {
    println!("{message}");
}

#[pipeline(name = "take-nap-pipeline", description = "Pipeline that sleeps for 15 mins (900 secs)")]
fn my_pipeline(#[default(900)] naptime_secs: i64) {
    let nap = take_nap_op(naptime_secs).set_caching_options(false);
    wake_up_op(nap.output()).set_caching_options(false);
}

#[test]
fn take_nap_pipeline() {
    super::check("take_nap", my_pipeline);
}

use kfp::prelude::*;

#[component]
#[kfp(typ = "MyModel")]
fn train(
    #[kfp(kind = "GCSPath")] data: String,
    #[kfp(type = "")] rows: i64,
    #[kfp(type = "A", type = "B")] note: String,
    #[kfp(type = 5)] count: i64,
) -> String {
    let _ = (data, rows, note, count);
    String::new()
}

fn main() {}

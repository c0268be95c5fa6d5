//! The command line: `server create-admin` for provisioning scripts.

use std::process::Command;

fn create_admin(database_url: &str, email: &str, password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-admin", "--name", "Ops Admin", "--email", email])
        .env("DATABASE_URL", database_url)
        .env("CLIENTELE_ADMIN_PASSWORD", password)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs")
}

#[tokio::test]
async fn create_admin_makes_an_admin_once_with_a_hashed_password() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/nested/clientele.db", folder.path().display());

    let made = create_admin(&url, "ops@supplier.example", "a long enough password");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(
        String::from_utf8_lossy(&made.stdout).starts_with("Created Admin Ops Admin <ops@supplier.example>")
    );

    let again = create_admin(&url, "OPS@supplier.example", "a long enough password");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has an account"));

    let db = app::state::Db::connect(&url).await.unwrap();
    let (role, hash): (String, String) = sqlx::query_as("SELECT role, password_hash FROM staff_users")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(role, "admin");
    assert!(hash.starts_with("$argon2id$") && !hash.contains("a long enough password"));
}

#[test]
fn create_admin_refuses_a_short_password_and_stores_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/clientele.db", folder.path().display());
    let refused = create_admin(&url, "ops@supplier.example", "short");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at least 10 characters"));
    assert!(!folder.path().join("clientele.db").exists());
}

//! An import file of profiles, written field by field: what the hostile-output tests hand
//! Token Desk, as a colleague's export would.

pub const STITCH: &str = "https://secure.stitch.money/connect/token";
pub const STITCH_API: &str = "https://api.stitch.money/graphql";

/// One profile of an import file as JSON, from its fields (`None`: left out).
#[derive(Clone)]
pub struct Fields {
    pub name: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub token_url: String,
    pub audience: Option<String>,
    pub api_url: String,
}

impl Fields {
    pub fn new(name: &str, client_id: &str) -> Self {
        Fields {
            name: name.into(),
            client_id: client_id.into(),
            scopes: vec!["client_paymentrequest".into()],
            token_url: STITCH.into(),
            audience: None,
            api_url: STITCH_API.into(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        let mut p = serde_json::json!({
            "name": self.name,
            "environment": "test",
            "client_id": self.client_id,
            "auth": "secret",
            "scopes": self.scopes,
            "token_url": self.token_url,
            "api_url": self.api_url,
        });
        if let Some(a) = &self.audience {
            p["audience"] = a.as_str().into();
        }
        p
    }
}

/// An import file holding `profiles`.
pub fn document(profiles: &[Fields]) -> String {
    serde_json::json!({ "version": 1, "profiles": profiles.iter().map(Fields::json).collect::<Vec<_>>() }).to_string()
}

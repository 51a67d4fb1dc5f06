//! The report's figures as text: the context the report template is
//! given, the JSON for a script, the bar chart, and the rendered `.docx`.

use super::{
    Figures, Language, MIN_GROUP, Report, STATUS_ORDER, decimal, pool_name, rest_name, share_text,
};

impl Figures {
    /// The figures as the report template shows them, in Danish notation.
    pub fn context(&self) -> serde_json::Value {
        self.context_in(Language::Da)
    }

    /// The figures as the report template shows them, in the notation of
    /// `language`: `75 %` and `1,5` in Danish, `75%` and `1.5` in English.
    pub fn context_in(&self, language: Language) -> serde_json::Value {
        let share = |value: f64| share_text(value, language);
        let number = |value: f64| match language {
            Language::Da => decimal(value),
            Language::En => format!("{value:.1}"),
        };
        serde_json::json!({
            "interviews": self.interviews,
            "with_goals": self.with_goals,
            "with_goals_share": share(self.with_goals_share()),
            "goals": self.goals,
            "goals_per_interview": number(self.goals_per_interview()),
            "goals_with_follow_up": self.goals_with_follow_up,
            "follow_up_share": share(self.follow_up_share()),
            "goals_followed_up": self.goals_followed_up,
            "followed_up_share": share(self.followed_up_share()),
            "goals_followed_up_in_time": self.goals_followed_up_in_time,
            "followed_up_in_time_share": self.followed_up_in_time_share().map(share),
            "status": self.status_json(),
            "not_followed_up": self.goals - self.goals_followed_up,
        })
    }

    /// The figures for scripts: counts and shares as numbers.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "interviews": self.interviews,
            "with_goals": self.with_goals,
            "with_goals_share": self.with_goals_share(),
            "goals": self.goals,
            "goals_per_interview": self.goals_per_interview(),
            "goals_with_follow_up": self.goals_with_follow_up,
            "follow_up_share": self.follow_up_share(),
            "goals_followed_up": self.goals_followed_up,
            "followed_up_share": self.followed_up_share(),
            "goals_followed_up_in_time": self.goals_followed_up_in_time,
            "followed_up_in_time_share": self.followed_up_in_time_share(),
            "status": self.status_json(),
            "not_followed_up": self.goals - self.goals_followed_up,
        })
    }

    /// The goals followed up by status, under the status codes of the CSV.
    fn status_json(&self) -> serde_json::Value {
        STATUS_ORDER
            .iter()
            .zip(self.status)
            .map(|(status, n)| (status.code().to_string(), serde_json::Value::from(n)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }
}

impl Report {
    /// The template variable `report`, in Danish notation.
    pub fn context(&self) -> serde_json::Value {
        self.context_in(Language::Da)
    }

    /// The template variable `report`: `total` (none when there are too few
    /// interviews to show any figure), `coverage` (none without a roster),
    /// `previous` (last year's total; none without `--previous` or without a
    /// full block last year), `compared` (whether any group has last year's
    /// figures), `groups` (each with `name`, `pool`, `figures`, `coverage`
    /// and `previous`, each none where not shown), `chart_figures` (the
    /// chart's figures in words, empty without a chart), `small_units`,
    /// `pooled_units` and `min_group`; figures in the notation of `language`.
    pub fn context_in(&self, language: Language) -> serde_json::Value {
        let groups: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| {
                serde_json::json!({
                    "name": g.name_in(language),
                    "pool": g.pool,
                    "figures": g.figures.map(|f| f.context_in(language)),
                    "coverage": g.coverage.map(|c| c.context_in(language)),
                    "previous": g.previous.map(|f| f.context_in(language)),
                })
            })
            .collect();
        serde_json::json!({
            "total": self.total.as_ref().map(|t| t.context_in(language)),
            "coverage": self.coverage.map(|c| c.context_in(language)),
            "previous": self.previous.flatten().map(|t| t.context_in(language)),
            "compared": self.groups.iter().any(|g| g.previous.is_some()),
            "groups": groups,
            "charted": self.groups.iter().any(|g| g.figures.is_some()),
            "chart_figures": chart_figures(&self.chart_values(language), language),
            "small_units": self.small_units,
            "pooled_units": self.pooled_units,
            "pool_name": pool_name(language),
            "min_group": MIN_GROUP,
            "held": self.held,
            "in_figures": self.in_figures(),
            "waiting": self.held - self.in_figures(),
            "rest": self.rest.map(|f| f.context_in(language)),
            "rest_name": rest_name(language),
            "made_up_to": self.made_up_to.map(|d| language.date(d)),
            "follow_up_due": self.follow_up_due,
            "follow_up_pending": self.follow_up_pending(),
        })
    }

    /// Before the follow-up deadline with no goal followed up yet: the
    /// follow-up figures are left out rather than shown as 0 %.
    pub fn follow_up_pending(&self) -> bool {
        self.follow_up_due == Some(false) && self.total.is_none_or(|t| t.goals_followed_up == 0)
    }

    /// The figures for scripts (`--format json`), in Danish.
    pub fn json(&self) -> serde_json::Value {
        self.json_in(Language::Da)
    }

    /// The figures for scripts (`--format json`), the pool named in
    /// `language`. With too few interviews and no roster it says so and
    /// holds no figure, not even how many units there were.
    pub fn json_in(&self, language: Language) -> serde_json::Value {
        if self.total.is_none() && self.coverage.is_none() {
            return serde_json::json!({
                "min_group": MIN_GROUP,
                "total": null,
                "units": [],
                "note": format!("too few interviews to show figures: no unit has {MIN_GROUP} with a readable date"),
            });
        }
        let units: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| {
                serde_json::json!({
                    "unit": g.name_in(language),
                    "pool": g.pool,
                    "figures": g.figures.map(|f| f.json()),
                    "coverage": g.coverage.map(|c| c.json()),
                    "previous": g.previous.map(|f| f.json()),
                })
            })
            .collect();
        serde_json::json!({
            "min_group": MIN_GROUP,
            "total": self.total.map(|t| t.json()),
            "coverage": self.coverage.map(|c| c.json()),
            "previous": self.previous.flatten().map(|t| t.json()),
            "units": units,
            "rest": self.rest.map(|f| f.json()),
            "small_units": self.small_units,
            "pooled_units": self.pooled_units,
            "held": self.held,
            "in_figures": self.in_figures(),
            "waiting": self.held - self.in_figures(),
            "made_up_to": self.made_up_to.map(|d| d.to_string()),
            "follow_up_due": self.follow_up_due,
        })
    }

    /// The interviews behind the total's figures.
    pub fn in_figures(&self) -> usize {
        self.total.map_or(0, |t| t.interviews)
    }

    /// The groups in the chart (those with figures): name, share with
    /// written goals, share of goals followed up.
    pub fn chart_values(&self, language: Language) -> Vec<(String, f64, f64)> {
        self.groups
            .iter()
            .filter_map(|g| {
                g.figures.map(|f| {
                    (
                        g.name_in(language).to_string(),
                        f.with_goals_share(),
                        f.followed_up_share(),
                    )
                })
            })
            .collect()
    }
}

/// The chart's figures in words, unit by unit in the order of its series:
/// `Digitalisering: 80 % og 0 %; Økonomi: …`. The chart's description
/// holds them, and the report states them right after the chart, since
/// LibreOffice's PDF export drops a chart's description.
fn chart_figures(values: &[(String, f64, f64)], language: Language) -> String {
    let and = match language {
        Language::Da => "og",
        Language::En => "and",
    };
    values
        .iter()
        .map(|(name, w, f)| {
            format!(
                "{name}: {} {and} {}",
                share_text(*w, language),
                share_text(*f, language)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The chart of the groups with figures: for each, the share of interviews
/// with written goals and the share of goals followed up. `None` when no
/// group has figures. Its description says the same in words, with the values.
fn bar_chart(
    values: &[(String, f64, f64)],
    language: Language,
) -> Option<crate::pipeline::render::chart::BarChart> {
    if values.is_empty() {
        return None;
    }
    let (title, written, followed, intro) = match language {
        Language::Da => (
            "Skriftlige mål og opfølgning pr. enhed",
            "Samtaler med skriftlige mål",
            "Mål fulgt op",
            "Søjlediagram over andelen af samtaler med skriftlige udviklingsmål og andelen af målene, der er fulgt op, for hver enhed i tabellen",
        ),
        Language::En => (
            "Written goals and follow-up by unit",
            "Interviews with written goals",
            "Goals followed up",
            "Bar chart of the share of interviews with written development goals and the share of goals followed up, for each unit in the table",
        ),
    };
    Some(crate::pipeline::render::chart::BarChart {
        categories: values.iter().map(|v| v.0.clone()).collect(),
        series: vec![
            (written.to_string(), values.iter().map(|v| v.1).collect()),
            (followed.to_string(), values.iter().map(|v| v.2).collect()),
        ],
        title: title.to_string(),
        description: format!("{intro}. {}.", chart_figures(values, language)),
        language,
    })
}

/// Renders the SU report from [`compute`]'s figures: a table by unit
/// and a bar chart, anonymous (no names, no goal texts, whole blocks of five).
pub fn render_report(
    plan: &crate::pipeline::plan::Plan,
    report: &Report,
    templates: &crate::pipeline::render::Templates,
    date: crate::pipeline::render::DocumentDate,
) -> crate::error::Result<Vec<u8>> {
    let chart = bar_chart(&report.chart_values(plan.language), plan.language);
    let person = crate::pipeline::render::Person {
        info: crate::form::InfoValues::for_unit(plan.unit.as_deref()),
        goals: Vec::new(),
        chart,
        report: Some(report.context_in(plan.language)),
    };
    Ok(crate::pipeline::render::render(
        plan,
        crate::pipeline::render::DocumentKind::Rapport,
        templates,
        &person,
        date,
    )?
    .bytes)
}

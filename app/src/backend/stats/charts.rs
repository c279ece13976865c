//! Charts drawn with plotters into inline SVG. Layout is done here in pixels; the text is set
//! in the page's Khmer webfont by the browser, so no font file is needed on the server.

use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

pub const FONT_FAMILY: &str = "Noto Sans Khmer, sans-serif";
const WIDTH: u32 = 720;
const ROW: i32 = 26;
const LABEL_WIDTH: i32 = 230;
const VALUE_WIDTH: i32 = 120;
/// The fill of bars that link to a district; other bars never use it.
const LINK_FILL: RGBColor = RGBColor(0x0B, 0x4F, 0x8A);
const LINK_FILL_SVG: &str = "fill=\"#0B4F8A\"";
const PLAIN_FILL: RGBColor = RGBColor(0x1F, 0x7A, 0x8C);
const MUTED_FILL: RGBColor = RGBColor(0x9A, 0xA5, 0xB1);
const LIGHT_FILL: RGBColor = RGBColor(0xF2, 0xA5, 0x41);
const GRID: RGBColor = RGBColor(0xE3, 0xE8, 0xEE);
const INK: RGBColor = RGBColor(0x1B, 0x26, 0x31);

/// One bar (or a pair, for two series) of a horizontal bar chart.
pub struct Bar {
    pub label: String,
    /// The main value and, for two-series charts, the second one drawn behind it.
    pub value: f64,
    pub behind: Option<f64>,
    pub value_label: String,
    pub link: Option<String>,
}

impl Bar {
    /// A plain bar: one series, no link, drawn in the chart's main colour.
    pub fn new(label: impl Into<String>, value: f64, value_label: String) -> Self {
        Self {
            label: label.into(),
            value,
            behind: None,
            value_label,
            link: None,
        }
    }

    pub fn behind(self, second: f64) -> Self {
        Self {
            behind: Some(second),
            ..self
        }
    }

    pub fn linked(self, href: String) -> Self {
        Self {
            link: Some(href),
            ..self
        }
    }
}

fn text_style(size: f64, anchor: Pos) -> TextStyle<'static> {
    // The SVG backend divides the size by 1.24 (points to pixels); `size` is in pixels.
    TextStyle::from((FONT_FAMILY, size * 1.24).into_font())
        .color(&INK)
        .pos(anchor)
}

fn wrap(svg: String, title: &str) -> String {
    // An accessible name on the image; the table next to it carries the figures.
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" class=\"chart-svg\" preserveAspectRatio=\"xMinYMin meet\" "),
        1,
    )
}

/// A drawing that failed. The chart is then left out (the page says "chart unavailable" and
/// the table beside it still has the figures), and the log says why.
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn drawn_or_logged(title: &str, svg: String, drawn: Drawn) -> String {
    match drawn {
        Ok(()) => svg,
        Err(err) => {
            tracing::error!(chart = title, error = %err, "a chart could not be drawn");
            String::new()
        }
    }
}

/// Horizontal bars, one row per item, longest scale at the largest value.
pub fn horizontal_bars(title: &str, bars: &[Bar], legend: Option<(&str, &str)>) -> String {
    let legend_height = if legend.is_some() { ROW } else { 0 };
    let height = (bars.len().max(1) as i32 * ROW + 12 + legend_height) as u32;
    let mut svg = String::new();
    let drawn = draw_bars(&mut svg, height, bars, legend);
    let svg = drawn_or_logged(title, svg, drawn);
    if svg.is_empty() {
        return svg;
    }
    let links: Vec<(&str, &str)> = bars
        .iter()
        .filter_map(|b| b.link.as_deref().map(|l| (l, b.label.as_str())))
        .collect();
    wrap(link_bars(svg, &links), title)
}

fn draw_bars(svg: &mut String, height: u32, bars: &[Bar], legend: Option<(&str, &str)>) -> Drawn {
    {
        let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        // One scale for every bar, so a bar's length always compares with the others'.
        let max = bars
            .iter()
            .map(|b| b.value.max(b.behind.unwrap_or(0.0)))
            .fold(0.0_f64, f64::max)
            .max(1.0);
        let span = (WIDTH as i32 - LABEL_WIDTH - VALUE_WIDTH - 16) as f64;
        let x0 = LABEL_WIDTH + 8;
        for (i, bar) in bars.iter().enumerate() {
            let top = 6 + i as i32 * ROW;
            let middle = top + ROW / 2;
            root.draw(&Text::new(
                bar.label.clone(),
                (LABEL_WIDTH, middle),
                text_style(15.0, Pos::new(HPos::Right, VPos::Center)),
            ))?;
            root.draw(&PathElement::new(
                vec![(x0, top), (x0, top + ROW)],
                GRID.stroke_width(1),
            ))?;
            if let Some(behind) = bar.behind {
                let w = (behind / max * span).round() as i32;
                root.draw(&Rectangle::new(
                    [(x0, top + 4), (x0 + w.max(1), top + ROW - 4)],
                    LIGHT_FILL.filled(),
                ))?;
            }
            let w = (bar.value.min(max) / max * span).round() as i32;
            let fill = if bar.link.is_some() {
                LINK_FILL
            } else {
                PLAIN_FILL
            };
            let inset = if bar.behind.is_some() { 8 } else { 4 };
            root.draw(&Rectangle::new(
                [(x0, top + inset), (x0 + w.max(1), top + ROW - inset)],
                fill.filled(),
            ))?;
            let end = x0
                + w.max(
                    bar.behind
                        .map(|b| (b / max * span).round() as i32)
                        .unwrap_or(0),
                );
            root.draw(&Text::new(
                bar.value_label.clone(),
                (end + 6, middle),
                text_style(14.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        if let Some((main, second)) = legend {
            let y = height as i32 - ROW / 2 - 2;
            for (j, (name, color)) in [(main, PLAIN_FILL), (second, LIGHT_FILL)]
                .iter()
                .enumerate()
            {
                let x = x0 + j as i32 * 200;
                root.draw(&Rectangle::new(
                    [(x, y - 6), (x + 14, y + 6)],
                    color.filled(),
                ))?;
                root.draw(&Text::new(
                    name.to_string(),
                    (x + 20, y),
                    text_style(14.0, Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        root.present()?;
    }
    Ok(())
}

/// Wraps the bars drawn in the link colour, in drawing order, in `<a>` elements.
fn link_bars(svg: String, links: &[(&str, &str)]) -> String {
    if links.is_empty() {
        return svg;
    }
    let mut out = String::with_capacity(svg.len() + links.len() * 80);
    let mut rest = svg.as_str();
    let mut next = links.iter();
    while let Some(start) = rest.find("<rect ") {
        let Some(len) = rest[start..].find("/>") else {
            break;
        };
        let element = &rest[start..start + len + 2];
        out.push_str(&rest[..start]);
        match element
            .contains(LINK_FILL_SVG)
            .then(|| next.next())
            .flatten()
        {
            Some((href, label)) => {
                let esc = |s: &str| {
                    s.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('"', "&quot;")
                };
                out.push_str(&format!(
                    "<a href=\"{}\"><title>{}</title>{element}</a>",
                    esc(href),
                    esc(label)
                ));
            }
            None => out.push_str(element),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// One named line over the twelve months; `None` where a month has no figures.
type Series<'a> = (&'a str, &'a [Option<f64>; 12]);

/// Two series over the twelve months: this year's line against last year's, and optionally a
/// third one on the same scale (the part of this year's revenue paid by KHQR).
pub fn monthly_lines(
    title: &str,
    month_labels: &[String; 12],
    this_year: Series<'_>,
    last_year: Series<'_>,
    part: Option<Series<'_>>,
    axis_label: &dyn Fn(f64) -> String,
) -> String {
    let mut svg = String::new();
    let drawn = draw_lines(
        &mut svg,
        month_labels,
        this_year,
        last_year,
        part,
        axis_label,
    );
    let svg = drawn_or_logged(title, svg, drawn);
    if svg.is_empty() {
        return svg;
    }
    wrap(svg, title)
}

fn draw_lines(
    svg: &mut String,
    month_labels: &[String; 12],
    this_year: Series<'_>,
    last_year: Series<'_>,
    part: Option<Series<'_>>,
    axis_label: &dyn Fn(f64) -> String,
) -> Drawn {
    // Last year is drawn first so this year's line covers it, and the part of this year last;
    // the legend names this year first.
    let drawn: Vec<(Series<'_>, RGBColor)> = [(last_year, MUTED_FILL), (this_year, LINK_FILL)]
        .into_iter()
        .chain(part.map(|p| (p, LIGHT_FILL)))
        .collect();
    let legend: Vec<(Series<'_>, RGBColor)> = [(this_year, LINK_FILL), (last_year, MUTED_FILL)]
        .into_iter()
        .chain(part.map(|p| (p, LIGHT_FILL)))
        .collect();
    let (w, h) = (WIDTH as i32, 300);
    let (left, right, top, bottom) = (110, w - 20, 16, h - 64);
    {
        let root = SVGBackend::with_string(svg, (w as u32, h as u32)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = drawn
            .iter()
            .flat_map(|((_, series), _)| series.iter())
            .flatten()
            .fold(0.0_f64, |a, b| a.max(*b))
            .max(1.0);
        let x_of = |i: usize| left + ((right - left) as f64 * (i as f64 + 0.5) / 12.0) as i32;
        let y_of = |v: f64| bottom - ((bottom - top) as f64 * v / max) as i32;
        for k in 0..=4 {
            let v = max * k as f64 / 4.0;
            let y = y_of(v);
            root.draw(&PathElement::new(
                vec![(left, y), (right, y)],
                GRID.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                axis_label(v),
                (left - 8, y),
                text_style(13.0, Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        for (i, label) in month_labels.iter().enumerate() {
            root.draw(&Text::new(
                label.clone(),
                (x_of(i), bottom + 8),
                text_style(13.0, Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        for ((_, series), color) in &drawn {
            let points: Vec<(i32, i32)> = series
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (x_of(i), y_of(v))))
                .collect();
            root.draw(&PathElement::new(points.clone(), color.stroke_width(3)))?;
            for p in points {
                root.draw(&Circle::new(p, 4, color.filled()))?;
            }
        }
        let y = h - 18;
        for (j, ((name, _), color)) in legend.iter().enumerate() {
            let x = left + j as i32 * 200;
            root.draw(&Rectangle::new(
                [(x, y - 3), (x + 24, y + 3)],
                color.filled(),
            ))?;
            root.draw(&Text::new(
                name.to_string(),
                (x + 30, y),
                text_style(14.0, Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        root.present()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_drawing_is_left_out_not_drawn_blank() {
        assert_eq!(drawn_or_logged("t", "<svg/>".into(), Ok(())), "<svg/>");
        let failed = drawn_or_logged("t", "<svg ".into(), Err(DrawingAreaErrorKind::LayoutError));
        assert_eq!(failed, "", "the card then says the chart is unavailable");
    }

    fn bar(label: &str, value: f64, link: Option<&str>) -> Bar {
        let plain = Bar::new(label, value, value.to_string());
        match link {
            Some(href) => plain.linked(href.into()),
            None => plain,
        }
    }

    #[test]
    fn linked_bars_become_links_in_order_and_others_do_not() {
        let svg = horizontal_bars(
            "ចំណូល",
            &[
                bar("ខណ្ឌ ក", 30.0, Some("/stats?district=1201")),
                bar("ខណ្ឌ ខ", 20.0, Some("/stats?district=1202&year=2026")),
                bar("ផ្សេងៗ", 10.0, None),
            ],
            None,
        );
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"ចំណូល\""));
        assert_eq!(svg.matches("<a href=").count(), 2);
        let first = svg.find("district=1201").unwrap();
        let second = svg.find("district=1202&amp;year=2026").unwrap();
        assert!(first < second);
        assert!(svg.contains("<title>ខណ្ឌ ក</title>"));
        assert!(svg.contains("ផ្សេងៗ\n</text>"));
        assert!(svg.contains("font-family=\"Noto Sans Khmer, sans-serif\""));
    }

    #[test]
    fn lines_draw_both_years() {
        let months: [String; 12] = std::array::from_fn(|i| (i + 1).to_string());
        let this: [Option<f64>; 12] = std::array::from_fn(|i| (i < 10).then_some(i as f64));
        let last: [Option<f64>; 12] = std::array::from_fn(|i| Some(i as f64 * 2.0));
        let svg = monthly_lines("t", &months, ("2026", &this), ("2025", &last), None, &|v| {
            v.to_string()
        });
        assert_eq!(svg.matches("<polyline").count(), 2 + 5);
    }

    #[test]
    fn lines_draw_a_third_series_with_its_legend() {
        let months: [String; 12] = std::array::from_fn(|i| (i + 1).to_string());
        let this: [Option<f64>; 12] = std::array::from_fn(|i| (i < 10).then_some(i as f64));
        let last: [Option<f64>; 12] = std::array::from_fn(|i| Some(i as f64 * 2.0));
        let khqr: [Option<f64>; 12] = std::array::from_fn(|i| (i < 10).then_some(i as f64 / 6.0));
        let svg = monthly_lines(
            "t",
            &months,
            ("2026", &this),
            ("2025", &last),
            Some(("KHQR 2026", &khqr)),
            &|v| v.to_string(),
        );
        assert_eq!(svg.matches("<polyline").count(), 3 + 5);
        assert!(svg.contains("KHQR 2026"));
    }
}

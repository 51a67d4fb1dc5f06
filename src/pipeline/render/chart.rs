//! The report's bar chart as a PNG (plotters). It holds no text, so it
//! needs no fonts; the table beside it in the report names the bars.

use plotters::prelude::*;

/// Why the chart could not be drawn or encoded (never the user's data: the
/// shares are clamped; a failure here is a bug or a lack of memory).
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error("cannot encode the chart as PNG")]
    Encode(#[from] png::EncodingError),
}

/// Width and height of the chart in pixels.
pub const SIZE: (u32, u32) = (900, 360);
const BAR: RGBColor = RGBColor(0x2F, 0x55, 0x97);
const GRID: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

/// Bars for `shares` (each 0–1, left to right) on lines at 25, 50, 75 and 100 %.
pub fn bar_chart(shares: &[f64]) -> Result<Vec<u8>, ChartError> {
    let (width, height) = SIZE;
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        let (left, right, top, bottom) = (20i32, width as i32 - 20, 20i32, height as i32 - 20);
        let plot_height = f64::from(bottom - top);
        // plotters' error borrows the backend, so only its text can leave here.
        let draw = |e: Rectangle<(i32, i32)>| {
            root.draw(&e)
                .map_err(|err| ChartError::Draw(err.to_string()))
        };
        for quarter in 1..=4 {
            let y = bottom - (plot_height * f64::from(quarter) / 4.0) as i32;
            draw(Rectangle::new([(left, y), (right, y + 1)], GRID.filled()))?;
        }
        let slot = f64::from(right - left) / shares.len().max(1) as f64;
        for (i, share) in shares.iter().enumerate() {
            let x0 = left + (slot * i as f64 + slot * 0.2) as i32;
            let x1 = left + (slot * (i + 1) as f64 - slot * 0.2) as i32;
            let y = bottom - (plot_height * share.clamp(0.0, 1.0)) as i32;
            draw(Rectangle::new([(x0, y), (x1, bottom)], BAR.filled()))?;
        }
        draw(Rectangle::new(
            [(left, bottom), (right, bottom + 2)],
            BLACK.filled(),
        ))?;
        root.present()
            .map_err(|err| ChartError::Draw(err.to_string()))?;
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(png)
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_a_png_of_the_right_size() {
        let png = super::bar_chart(&[0.5, 1.0, 0.0]).expect("chart");
        assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().expect("png");
        assert_eq!((reader.info().width, reader.info().height), super::SIZE);
    }
}

//! A Word document's paper: its size and margins, turned as each section needs.

/// How a page is turned. Each section of a document has its own, and with it its own text
/// width: the header's right tab stop and the tables' widths follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// The paper and margins, in twentieths of a point, as on a portrait page. A landscape
/// section turns the paper and keeps the margins where they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSetup {
    /// The shorter side.
    pub width: u32,
    /// The longer side.
    pub height: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
    /// From the paper's edge to the page header and footer.
    pub header: u32,
    pub footer: u32,
}

/// The narrowest text a page may leave, in twentieths of a point (5 cm).
pub const MIN_TEXT_WIDTH: u32 = 2_835;

impl PageSetup {
    /// A4 with docx-rs's margins: the house default.
    pub const A4: PageSetup = PageSetup {
        width: 11_906,
        height: 16_838,
        top: 1_985,
        right: 1_701,
        bottom: 1_701,
        left: 1_701,
        header: 851,
        footer: 992,
    };

    /// The page's width and height when turned as `orientation`.
    pub fn size(&self, orientation: Orientation) -> (u32, u32) {
        match orientation {
            Orientation::Portrait => (self.width, self.height),
            Orientation::Landscape => (self.height, self.width),
        }
    }

    /// The width between the margins of a page turned as `orientation`.
    pub fn text_width(&self, orientation: Orientation) -> usize {
        let width = self.size(orientation).0;
        width.saturating_sub(self.left.saturating_add(self.right)) as usize
    }

    pub fn margin(&self) -> docx_rs::PageMargin {
        // docx-rs takes margins as i32; a setup is checked to be far below i32::MAX.
        let t = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        docx_rs::PageMargin::new()
            .top(t(self.top))
            .right(t(self.right))
            .bottom(t(self.bottom))
            .left(t(self.left))
            .header(t(self.header))
            .footer(t(self.footer))
    }

    /// "A4 stående, 210 × 297 mm; marginaler 35/30/30/30 mm" (top, right, bottom, left).
    pub fn describe(&self) -> String {
        let mm = |twips: u32| (u64::from(twips) * 254 + 7_200) / 14_400;
        let paper = if (mm(self.width), mm(self.height)) == (210, 297) {
            "A4 stående, ".to_owned()
        } else {
            String::new()
        };
        format!(
            "{paper}{} × {} mm; marginaler {}/{}/{}/{} mm (över, höger, under, vänster)",
            mm(self.width),
            mm(self.height),
            mm(self.top),
            mm(self.right),
            mm(self.bottom),
            mm(self.left)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_landscape_page_turns_the_paper_and_keeps_the_margins() {
        let a4 = PageSetup::A4;
        assert_eq!(a4.size(Orientation::Landscape), (16_838, 11_906));
        assert_eq!(a4.text_width(Orientation::Portrait), 11_906 - 3_402);
        assert_eq!(a4.text_width(Orientation::Landscape), 16_838 - 3_402);
    }

    #[test]
    fn a4_is_described_in_millimetres() {
        assert_eq!(
            PageSetup::A4.describe(),
            "A4 stående, 210 × 297 mm; marginaler 35/30/30/30 mm (över, höger, under, vänster)"
        );
    }
}

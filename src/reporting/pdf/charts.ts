import type { ChartSpec } from './model';
import { chartScene, type Measure, type Scene, type Shape } from './charts/index';
import { markerCorners } from './charts/scene';
import { BOLD, REGULAR } from './fonts';

/** pdfkit's measure of a text in the pack's typeface. */
export function pdfMeasure(doc: PDFKit.PDFDocument): Measure {
  return (text, size, bold = false) =>
    doc
      .font(bold ? BOLD : REGULAR)
      .fontSize(size)
      .widthOfString(text);
}

/** The chart laid out for the PDF at the given width. */
export function pdfChartScene(doc: PDFKit.PDFDocument, spec: ChartSpec, width: number): Scene {
  return chartScene(spec, width, pdfMeasure(doc));
}

function marker(doc: PDFKit.PDFDocument, shape: Extract<Shape, { kind: 'marker' }>): void {
  const r = shape.size / 2;
  if (shape.shape === 'circle') doc.circle(shape.x, shape.y, r);
  else if (shape.shape === 'square') doc.rect(shape.x - r, shape.y - r, shape.size, shape.size);
  else doc.polygon(...markerCorners(shape.shape, shape.x, shape.y, shape.size));
  doc.lineWidth(0.75).fillAndStroke(shape.fill, shape.stroke);
}

function draw(doc: PDFKit.PDFDocument, shape: Shape): void {
  switch (shape.kind) {
    case 'rect':
      doc.rect(shape.x, shape.y, shape.width, shape.height);
      if (shape.stroke) doc.lineWidth(0.75).fillAndStroke(shape.fill, shape.stroke);
      else doc.fill(shape.fill);
      return;
    case 'line':
      doc.moveTo(shape.x1, shape.y1).lineTo(shape.x2, shape.y2).lineWidth(shape.width);
      if (shape.dash) doc.dash(shape.dash[0], { space: shape.dash[1] });
      doc.stroke(shape.stroke).undash();
      return;
    case 'polyline': {
      const [first, ...rest] = shape.points;
      if (!first) return;
      doc.moveTo(...first);
      for (const point of rest) doc.lineTo(...point);
      doc.lineWidth(shape.width).lineJoin('round').stroke(shape.stroke);
      return;
    }
    case 'marker':
      marker(doc, shape);
      return;
    case 'text': {
      doc
        .font(shape.bold ? BOLD : REGULAR)
        .fontSize(shape.size)
        .fillColor(shape.fill);
      const width = doc.widthOfString(shape.text);
      const offset = shape.anchor === 'middle' ? width / 2 : shape.anchor === 'end' ? width : 0;
      doc.text(shape.text, shape.x - offset, shape.y, { lineBreak: false, baseline: 'alphabetic' });
      return;
    }
  }
}

/** Draws the chart with its top left at (left, top), as vector paths and text. */
export function drawScene(doc: PDFKit.PDFDocument, scene: Scene, left: number, top: number): void {
  doc.save();
  doc.translate(left, top);
  for (const shape of scene.shapes) draw(doc, shape);
  doc.restore();
}

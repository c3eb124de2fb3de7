package org.mlmspark.train.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws training and validation loss against the optimizer step as a PNG, headless (plain Java2D). */
public final class LossPlot {
  /** One point of a curve. */
  public record Point(double step, double loss) {}

  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final Color TRAIN = new Color(31, 119, 180);
  private static final Color VALIDATION = new Color(255, 127, 14);

  private LossPlot() {}

  public static void write(List<Point> training, List<Point> validation, String title, OutputStream out)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

    double maxStep = 1;
    double minLoss = Double.POSITIVE_INFINITY;
    double maxLoss = Double.NEGATIVE_INFINITY;
    for (List<Point> curve : List.of(training, validation)) {
      for (Point p : curve) {
        maxStep = Math.max(maxStep, p.step());
        minLoss = Math.min(minLoss, p.loss());
        maxLoss = Math.max(maxLoss, p.loss());
      }
    }
    if (minLoss > maxLoss) {
      minLoss = 0;
      maxLoss = 1;
    }
    double pad = Math.max(1e-6, (maxLoss - minLoss) * 0.05);
    Axes axes = new Axes(maxStep, minLoss - pad, maxLoss + pad);

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.LIGHT_GRAY);
    for (int i = 0; i <= 5; i++) {
      double loss = axes.minLoss + (axes.maxLoss - axes.minLoss) * i / 5;
      int y = axes.y(loss);
      g.drawLine(LEFT, y, WIDTH - RIGHT, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.3f", loss), 8, y + 4);
      g.setColor(Color.LIGHT_GRAY);
    }
    g.setColor(Color.DARK_GRAY);
    for (int i = 0; i <= 5; i++) {
      double step = maxStep * i / 5;
      int x = axes.x(step);
      g.drawString(String.format(Locale.ROOT, "%.0f", step), x - 10, HEIGHT - BOTTOM + 18);
    }
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    g.drawString("step", WIDTH / 2, HEIGHT - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT, 24);

    drawCurve(g, axes, training, TRAIN, false);
    drawCurve(g, axes, validation, VALIDATION, true);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    legend(g, 0, "training loss", TRAIN);
    legend(g, 1, "validation loss", VALIDATION);
    g.dispose();
    ImageIO.write(image, "png", out);
  }

  private static void drawCurve(Graphics2D g, Axes axes, List<Point> curve, Color color, boolean markers) {
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < curve.size(); i++) {
      int x = axes.x(curve.get(i).step());
      int y = axes.y(curve.get(i).loss());
      if (i == 0) {
        path.moveTo(x, y);
      } else {
        path.lineTo(x, y);
      }
      if (markers) {
        g.fillOval(x - 4, y - 4, 8, 8);
      }
    }
    g.draw(path);
  }

  private static void legend(Graphics2D g, int row, String label, Color color) {
    int x = WIDTH - RIGHT - 150;
    int y = TOP + 20 + row * 18;
    g.setColor(color);
    g.fillRect(x, y - 9, 18, 4);
    g.setColor(Color.DARK_GRAY);
    g.drawString(label, x + 24, y - 3);
  }

  private record Axes(double maxStep, double minLoss, double maxLoss) {
    int x(double step) {
      return LEFT + (int) Math.round((WIDTH - LEFT - RIGHT) * step / maxStep);
    }

    int y(double loss) {
      return TOP + (int) Math.round((HEIGHT - TOP - BOTTOM) * (maxLoss - loss) / (maxLoss - minLoss));
    }
  }
}

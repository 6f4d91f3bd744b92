// Renders the application icon to the PNG sizes of the hicolor theme at build time, so that
// the SVG in resources/ stays the only drawing of the icon.
//
// Usage: eventscope-rendericon ICON.svg OUTDIR SIZE...   writes OUTDIR/SIZE.png for each size

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QStringList>
#include <QSvgRenderer>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args += QString::fromLocal8Bit(argv[i]);
    if (args.size() < 3) {
        std::fputs("usage: eventscope-rendericon ICON.svg OUTDIR SIZE...\n", stderr);
        return 2;
    }
    QSvgRenderer renderer(args.at(0));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "eventscope-rendericon: cannot read %s\n", argv[1]);
        return 1;
    }
    const QDir out(args.at(1));
    for (const QString &sizeText : args.mid(2)) {
        const int size = sizeText.toInt();
        if (size <= 0) {
            std::fprintf(stderr, "eventscope-rendericon: bad size '%s'\n", qPrintable(sizeText));
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        renderer.render(&painter);
        painter.end();
        const QString file = out.filePath(sizeText + u".png"_s);
        if (!image.save(file)) {
            std::fprintf(stderr, "eventscope-rendericon: cannot write %s\n", qPrintable(file));
            return 1;
        }
    }
    return 0;
}

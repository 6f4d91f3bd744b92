#include "snapshotcomparedialog.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "elidedtext.h"
#include "jsontreemodel.h"
#include "replay/eventjson.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int CellLength = 200;
constexpr int ToolTipLength = 2000;

QString jsonText(const QJsonValue &value)
{
    return QString::fromUtf8(Payload::compact(value));
}

// Each tree marks the differing fields it holds: one side lacks what the other has, so a
// field only one side has is marked on that side alone, with no "was" to show.
QVector<JsonChange> marks(const QVector<JsonChange> &differences, bool stored)
{
    QVector<JsonChange> result;
    const QJsonValue undefined(QJsonValue::Undefined);
    for (const JsonChange &d : differences) {
        const QJsonValue &value = stored ? d.before : d.after;
        if (!value.isUndefined())
            result.append({JsonChange::Kind::Changed, d.path, undefined, value});
    }
    return result;
}

QString capitalised(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

} // namespace

SnapshotCompareDialog::SnapshotCompareDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Compare with Stored Snapshot"));
    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setWordWrap(true);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(u"verdict"_s);
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setWordWrap(true);
    QFont bold = m_verdict->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    m_verdict->setFont(bold);

    m_storedModel = new JsonTreeModel(this);
    m_replayedModel = new JsonTreeModel(this);
    m_stored = makeSide(m_storedModel, u"stored"_s);
    m_replayed = makeSide(m_replayedModel, u"replayed"_s);
    m_stored.title->setText(tr("Stored snapshot"));
    auto *sides = new QSplitter(Qt::Horizontal, this);
    for (const Side &side : {m_stored, m_replayed}) {
        auto *pane = new QWidget(sides);
        auto *layout = new QVBoxLayout(pane);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(side.title);
        layout->addWidget(side.stack, 1);
        sides->addWidget(pane);
    }

    m_differences = new QTreeWidget(this);
    m_differences->setObjectName(u"differences"_s);
    m_differences->setHeaderLabels({tr("Field"), tr("Stored"), tr("Replayed")});
    m_differences->setRootIsDecorated(false);
    m_differences->setUniformRowHeights(true);
    m_differences->header()->resizeSection(0, 200);
    m_differences->header()->resizeSection(1, 260);
    auto *differencesPane = new QWidget(this);
    auto *differencesLayout = new QVBoxLayout(differencesPane);
    differencesLayout->setContentsMargins(0, 0, 0, 0);
    differencesLayout->addWidget(new QLabel(tr("Differences"), differencesPane));
    differencesLayout->addWidget(m_differences, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(sides);
    splitter->addWidget(differencesPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_verdict);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(960, 640);
}

SnapshotCompareDialog::Side SnapshotCompareDialog::makeSide(JsonTreeModel *model,
                                                            const QString &name)
{
    Side side;
    side.title = new QLabel(this);
    side.title->setTextFormat(Qt::PlainText);
    side.tree = new QTreeView(this);
    side.tree->setObjectName(name + u"Tree"_s);
    side.tree->setModel(model);
    side.tree->setUniformRowHeights(true);
    side.tree->setAlternatingRowColors(true);
    side.tree->header()->resizeSection(0, 180);
    side.text = new QPlainTextEdit(this);
    side.text->setObjectName(name + u"Text"_s);
    side.text->setReadOnly(true);
    side.text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    side.stack = new QStackedWidget(this);
    side.stack->addWidget(side.tree);
    side.stack->addWidget(side.text);
    return side;
}

QString SnapshotCompareDialog::verdict() const
{
    return m_verdict->text();
}

QString SnapshotCompareDialog::storedText() const
{
    return m_stored.text->toPlainText();
}

QString SnapshotCompareDialog::replayedText() const
{
    return m_replayed.text->toPlainText();
}

void SnapshotCompareDialog::setVerdict(const QString &text, const QColor &color)
{
    m_verdict->setText(text);
    QPalette pal = m_verdict->palette();
    pal.setColor(QPalette::WindowText, color);
    m_verdict->setPalette(pal);
}

void SnapshotCompareDialog::showTree(const Side &side, JsonTreeModel *model,
                                     const QJsonValue &value, const QVector<JsonChange> &marks)
{
    model->setJson(value, marks);
    side.tree->expandToDepth(0);
    const QModelIndexList changed = model->changedIndexes();
    for (const QModelIndex &index : changed) {
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            side.tree->expand(p);
    }
    side.stack->setCurrentWidget(side.tree);
}

void SnapshotCompareDialog::showPending(const StoredSnapshot &snapshot)
{
    m_snapshot = snapshot;
    m_heading->setText(snapshot.timeMs == NoTime ? tr("%1 · stored snapshot at version %2")
                                                       .arg(elidedName(snapshot.stream))
                                                       .arg(snapshot.version)
                                                 : tr("%1 · stored snapshot at version %2 (%3)")
                                                       .arg(elidedName(snapshot.stream))
                                                       .arg(snapshot.version)
                                                       .arg(TimeCodec::format(snapshot.timeMs)));
    m_replayed.title->setText(tr("Replayed state at version %1").arg(snapshot.version));
    setVerdict(tr("Computing the replayed state at version %1…").arg(snapshot.version),
               palette().color(QPalette::PlaceholderText));
    m_storedModel->setJson(QJsonObject());
    m_replayedModel->setJson(QJsonObject());
    m_stored.text->clear();
    m_replayed.text->clear();
    m_differences->clear();
}

void SnapshotCompareDialog::setComparison(const SnapshotComparison &c)
{
    showPending(c.snapshot());
    const auto &replayed = c.replayed();
    if (!c.isComparable()) {
        setVerdict(capitalised(c.problem()), palette().color(QPalette::WindowText));
        m_stored.text->setPlainText(QString::fromUtf8(c.snapshot().data));
        m_stored.stack->setCurrentWidget(m_stored.text);
        m_replayed.text->setPlainText(
            replayed ? QString::fromUtf8(QJsonDocument(replayed->state).toJson()) : QString());
        m_replayed.stack->setCurrentWidget(m_replayed.text);
        return;
    }
    const QVector<JsonChange> &differences = c.differences();
    showTree(m_stored, m_storedModel, c.stored(), marks(differences, true));
    showTree(m_replayed, m_replayedModel, replayed->state, marks(differences, false));
    for (const JsonChange &d : differences) {
        const QString stored = d.before.isUndefined() ? tr("(absent)") : jsonText(d.before);
        const QString replayedValue = d.after.isUndefined() ? tr("(absent)") : jsonText(d.after);
        auto *item = new QTreeWidgetItem(m_differences, {d.path, elidedText(stored, CellLength),
                                                         elidedText(replayedValue, CellLength)});
        item->setToolTip(1, elidedText(stored, ToolTipLength));
        item->setToolTip(2, elidedText(replayedValue, ToolTipLength));
        for (int column : {1, 2}) {
            if ((column == 1 ? d.before : d.after).isUndefined()) {
                QFont italic = item->font(column);
                italic.setItalic(true);
                item->setFont(column, italic);
                item->setForeground(column, palette().brush(QPalette::PlaceholderText));
            }
        }
    }
    const int n = int(differences.size());
    if (n == 0)
        setVerdict(tr("Identical"), QColor(0x2e, 0x7d, 0x32));
    else
        setVerdict(n == 1 ? tr("1 difference") : tr("%1 differences").arg(n),
                   QColor(0xb0, 0x5a, 0x00));
}

void SnapshotCompareDialog::showError(const QString &message)
{
    setVerdict(capitalised(message), QColor(0xc6, 0x28, 0x28));
}

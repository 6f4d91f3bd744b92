#include "statediffview.h"

#include "changecolors.h"
#include "jsontreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

namespace {

QString sideText(const ReplayState &side)
{
    if (side.index < 0)
        return StateDiffView::tr("%1 before its first event").arg(side.stream);
    return StateDiffView::tr("%1 @ version %2").arg(side.stream).arg(side.version);
}

QString valueText(const QJsonValue &value)
{
    if (value.isUndefined())
        return u"—"_s;
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QLabel *legendChip(const QString &text, JsonChange::Kind kind, QWidget *parent)
{
    auto *chip = new QLabel(text, parent);
    const QColor c = changeColor(kind);
    chip->setStyleSheet(
        u"QLabel { background: rgba(%1,%2,%3,%4); padding: 1px 6px; }"_s.arg(c.red())
            .arg(c.green())
            .arg(c.blue())
            .arg(c.alpha()));
    return chip;
}

} // namespace

StateDiffView::StateDiffView(QWidget *parent)
    : QuestionPanel(tr("Pin A on the replay bar, move the replay to B."), parent)
{
    m_otherStream = new QLineEdit(this);
    m_otherStream->setObjectName(u"diffOtherStream"_s);
    m_otherStream->setPlaceholderText(tr("the replayed stream"));
    m_otherStream->setClearButtonEnabled(true);
    m_otherStream->setMinimumWidth(150);
    m_otherStream->setToolTip(tr("B from another stream, at the time of the replay's position"));
    m_model = new JsonTreeModel(this);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"diffTree"_s);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->resizeSection(0, 180);
    m_changes = new QTreeWidget(this);
    m_changes->setObjectName(u"diffChanges"_s);
    m_changes->setRootIsDecorated(false);
    m_changes->setHeaderLabels({tr("Path"), tr("Change"), tr("A → B")});
    m_changes->header()->resizeSection(0, 160);

    // One row for B's stream and the legend: the tree and the changes need the height.
    auto *bRow = new QHBoxLayout;
    bRow->addWidget(new QLabel(tr("B's stream:"), this));
    bRow->addWidget(m_otherStream, 1);
    bRow->addSpacing(12);
    bRow->addWidget(new QLabel(tr("In B:"), this));
    bRow->addWidget(legendChip(tr("added"), JsonChange::Kind::Added, this));
    bRow->addWidget(legendChip(tr("changed"), JsonChange::Kind::Changed, this));
    bRow->addWidget(legendChip(tr("removed"), JsonChange::Kind::Removed, this));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tree);
    split->addWidget(m_changes);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    addControls(bRow);
    setBody(split);

    connect(m_otherStream, &QLineEdit::editingFinished, this, &StateDiffView::otherStreamChanged);
}

QString StateDiffView::otherStream() const
{
    return m_otherStream->text().trimmed();
}

void StateDiffView::showPending(const QString &what)
{
    showBusy(what);
}

void StateDiffView::setResult(const StateDiffResult &result)
{
    setHeading(tr("A: %1   ↔   B: %2").arg(sideText(result.left), sideText(result.right)));
    showMessage(result.changes.isEmpty()
                    ? tr("A and B are the same.")
                    : tr("%n difference(s)", nullptr, int(result.changes.size())));
    m_model->setJson(result.right.state, result.changes);
    m_tree->expandAll();
    m_changes->clear();
    for (const JsonChange &c : result.changes) {
        auto *item = new QTreeWidgetItem(
            m_changes, {c.path, JsonDiff::kindName(c.kind),
                        QString(valueText(c.before) + u" → "_s + valueText(c.after))});
        for (int column = 0; column < 3; ++column)
            item->setBackground(column, changeColor(c.kind));
    }
}

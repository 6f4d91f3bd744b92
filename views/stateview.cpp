#include "stateview.h"

#include "decoding/payload.h"
#include "elidedtext.h"

#include "decoding/timecodec.h"
#include "jsontreemodel.h"
#include "replay/eventjson.h"

#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString shortJson(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    const QString text = QString::fromUtf8(Payload::compact(value));
    return text.size() > 120 ? text.left(119) + u'…' : text;
}

} // namespace

StateView::StateView(QWidget *parent) : QWidget(parent)
{
    m_model = new JsonTreeModel(this);
    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setWordWrap(true);
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    m_heading->setFont(headingFont);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"stateTree"_s);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->header()->resizeSection(0, 180);

    m_changes = new QTreeWidget(this);
    m_changes->setObjectName(u"stateChanges"_s);
    m_changes->setHeaderLabels({tr("Field"), tr("Change"), tr("Before"), tr("After")});
    m_changes->setRootIsDecorated(false);
    m_changes->setUniformRowHeights(true);

    m_counts = new QTreeWidget(this);
    m_counts->setObjectName(u"stateCounts"_s);
    m_counts->setHeaderLabels({tr("Event type"), tr("Applied")});
    m_counts->setRootIsDecorated(false);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_tree, tr("State"));
    m_tabs->addTab(m_changes, tr("Diff vs previous"));
    m_tabs->addTab(m_counts, tr("Event counts"));

    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setEnabled(false); // greyed, as an empty-state hint

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_message);
    m_stack->addWidget(m_tabs);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_heading);
    layout->addWidget(m_stack, 1);
    showMessage(tr("Select a stream to replay its state."));
}

QString StateView::heading() const
{
    return m_heading->text();
}

void StateView::showMessage(const QString &message)
{
    m_heading->clear();
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

void StateView::setState(const ReplayState &state)
{
    m_heading->setText(state.index < 0
                           ? tr("%1 before its first event").arg(elidedName(state.stream))
                           : tr("%1 at version %2 — %3 at %4")
                                 .arg(elidedName(state.stream))
                                 .arg(state.version)
                                 .arg(elidedName(state.type), TimeCodec::format(state.timeMs)));
    if (state.index >= 0 && state.state.isEmpty())
        m_heading->setText(m_heading->text() + u'\n' +
                           tr("No fields yet: the events so far carry no JSON object to merge "
                              "(XML, YAML or binary payloads need a projection; Event counts "
                              "still count them)."));
    m_model->setJson(state.state, state.changed);
    m_tree->expandToDepth(0);
    // Open the way to every changed field, so the highlight is seen without hunting for it.
    const QModelIndexList changed = m_model->changedIndexes();
    for (const QModelIndex &index : changed) {
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            m_tree->expand(p);
    }
    if (!changed.isEmpty())
        m_tree->scrollTo(changed.constFirst());

    m_changes->clear();
    for (const JsonChange &c : state.changed) {
        auto *item = new QTreeWidgetItem(m_changes, {c.path, JsonDiff::kindName(c.kind),
                                                     shortJson(c.before), shortJson(c.after)});
        item->setToolTip(2, shortJson(c.before));
        item->setToolTip(3, shortJson(c.after));
    }
    if (state.changed.isEmpty() && state.index >= 0)
        new QTreeWidgetItem(m_changes, {tr("(this event changed nothing)")});

    m_counts->clear();
    for (auto it = state.eventCounts.cbegin(); it != state.eventCounts.cend(); ++it) {
        auto *item = new QTreeWidgetItem(m_counts, {it.key(), QString::number(it.value())});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_stack->setCurrentWidget(m_tabs);
}

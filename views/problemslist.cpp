#include "problemslist.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

enum Column { StreamColumn, VersionColumn, PositionColumn, DetailColumn };
constexpr int PositionRole = Qt::UserRole;
constexpr int StreamRole = Qt::UserRole + 1;

} // namespace

ProblemsList::ProblemsList(QWidget *parent)
    : QWidget(parent), m_tree(new QTreeWidget(this)), m_status(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(u"problemsList"_s);
    m_tree->setObjectName(u"problems"_s);
    m_tree->setHeaderLabels({tr("Kind / stream"), tr("Version"), tr("Position"), tr("Detail")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(StreamColumn, 200);
    m_tree->setColumnWidth(VersionColumn, 70);
    m_tree->setColumnWidth(PositionColumn, 80);
    connect(m_tree, &QTreeWidget::itemClicked, this, &ProblemsList::activate);
    connect(m_tree, &QTreeWidget::itemActivated, this, &ProblemsList::activate);
    connect(m_cancel, &QPushButton::clicked, this, &ProblemsList::cancelRequested);
    m_status->setObjectName(u"problemsStatus"_s);
    m_status->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_progress);
    top->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);
    clear();
}

QString ProblemsList::statusText() const
{
    return m_status->text();
}

void ProblemsList::showRunning()
{
    m_tree->clear();
    m_status->setText(tr("Checking the store…"));
    m_progress->setRange(0, 0);
    setRunning(true);
}

void ProblemsList::showProgress(qint64 done, qint64 total)
{
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(done * 1000 / total));
    }
    m_status->setText(tr("Checking the store… %1 events read").arg(QLocale().toString(done)));
}

void ProblemsList::setProblems(const QVector<IntegrityProblem> &problems,
                               const IntegritySummary &summary, bool limited)
{
    setRunning(false);
    m_tree->clear();
    qint64 total = 0;
    for (int kind = 0; kind < IntegrityProblem::KindCount; ++kind) {
        const qint64 count = summary.problems[kind];
        total += count;
        if (count == 0)
            continue;
        auto *group = new QTreeWidgetItem(m_tree);
        group->setText(StreamColumn,
                       u"%1 (%2)"_s.arg(IntegrityProblem::kindName(IntegrityProblem::Kind(kind)),
                                        QLocale().toString(count)));
        group->setFirstColumnSpanned(true);
        QFont bold = group->font(StreamColumn);
        bold.setBold(true);
        group->setFont(StreamColumn, bold);
        for (const IntegrityProblem &problem : problems) {
            if (int(problem.kind) != kind)
                continue;
            auto *item = new QTreeWidgetItem(group);
            item->setText(StreamColumn,
                          problem.stream.isNull() ? tr("(no stream)") : problem.stream);
            item->setText(VersionColumn,
                          problem.version ? QString::number(*problem.version) : QString());
            item->setText(PositionColumn, QString::number(problem.position));
            item->setText(DetailColumn, problem.detail);
            item->setToolTip(DetailColumn, problem.detail);
            item->setTextAlignment(VersionColumn, Qt::AlignRight | Qt::AlignVCenter);
            item->setTextAlignment(PositionColumn, Qt::AlignRight | Qt::AlignVCenter);
            item->setData(StreamColumn, PositionRole, problem.position);
            item->setData(StreamColumn, StreamRole, problem.stream);
        }
        group->setExpanded(true);
    }
    QString text =
        total == 0
            ? tr("No problems in %1 events of %2 streams")
                  .arg(QLocale().toString(summary.events), QLocale().toString(summary.streams))
            : tr("%1 problems in %2 events of %3 streams")
                  .arg(QLocale().toString(total), QLocale().toString(summary.events),
                       QLocale().toString(summary.streams));
    if (limited)
        text += tr(" (the first %1 listed)").arg(QLocale().toString(problems.size()));
    m_status->setText(text);
}

void ProblemsList::showMessage(const QString &message)
{
    setRunning(false);
    m_status->setText(message);
}

void ProblemsList::clear()
{
    m_tree->clear();
    m_status->setText(tr("Tools ▸ Check Store looks for version gaps, repeated versions, times "
                         "going backwards and events without a stream, type, time or "
                         "readable data."));
    setRunning(false);
}

QStringList ProblemsList::groupTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        texts << m_tree->topLevelItem(i)->text(StreamColumn);
    return texts;
}

void ProblemsList::activate(QTreeWidgetItem *item)
{
    if (!item || !item->parent())
        return; // a kind's heading
    emit problemActivated(item->data(StreamColumn, StreamRole).toString(),
                          item->data(StreamColumn, PositionRole).toLongLong());
}

void ProblemsList::setRunning(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
}

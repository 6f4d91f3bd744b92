#include "query/predicate.h"

#include "testsupport.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// The document every evaluation case is asked about.
// (Ordinary literals, not raw strings: moc misreads a raw string holding \".)
const QByteArray Document =
    "{\"clicks\": 120, \"ratio\": 0.5, \"name\": \"Bob Builder\", \"plan\": \"pro\","
    " \"active\": true, \"note\": null, \"tags\": [\"vip\", \"beta\", 3], \"empty\": [],"
    " \"address\": {\"city\": \"Oslo\", \"zip\": \"0150\","
    " \"lines\": [{\"street\": \"Main\"}, {\"street\": \"Side\"}]},"
    " \"a.b\": {\"c\": 7}, \"not\": 1, \"and\": {\"or\": \"x\"},"
    " \"odd \\\"key\\\"\": 2}";

} // namespace

class TestPredicate : public QObject
{
    Q_OBJECT

private slots:
    void evaluates_data()
    {
        QTest::addColumn<QString>("predicate");
        QTest::addColumn<bool>("expected");

        // Comparisons of numbers, strings and other JSON values.
        QTest::newRow("greater") << u"clicks > 100"_s << true;
        QTest::newRow("greater, no spaces") << u"clicks>100"_s << true;
        QTest::newRow("greater, false") << u"clicks > 120"_s << false;
        QTest::newRow("greater or equal") << u"clicks >= 120"_s << true;
        QTest::newRow("less") << u"ratio < 1"_s << true;
        QTest::newRow("less or equal, exponent") << u"ratio <= 5e-1"_s << true;
        QTest::newRow("integer equals double") << u"clicks == 120.0"_s << true;
        QTest::newRow("string equal") << u"plan == \"pro\""_s << true;
        QTest::newRow("string not equal") << u"plan != \"free\""_s << true;
        QTest::newRow("strings ordered") << u"plan > \"free\""_s << true;
        QTest::newRow("number vs string not ordered") << u"clicks > \"1\""_s << false;
        QTest::newRow("string vs number not equal") << u"address.zip == 150"_s << false;
        QTest::newRow("bool") << u"active == true"_s << true;
        QTest::newRow("null equals null") << u"note == null"_s << true;
        QTest::newRow("array equal") << u"tags == [\"vip\", \"beta\", 3]"_s << true;
        QTest::newRow("array order matters") << u"tags == [\"beta\", \"vip\", 3]"_s << false;
        QTest::newRow("object equal, any key order")
            << u"address.lines[1] == {\"street\":\"Side\"}"_s << true;
        QTest::newRow("bool is not ordered") << u"active > false"_s << false;

        // Missing values: only != and missing hold.
        QTest::newRow("missing ==") << u"absent == 1"_s << false;
        QTest::newRow("missing !=") << u"absent != 1"_s << true;
        QTest::newRow("missing <") << u"absent < 1"_s << false;
        QTest::newRow("missing contains") << u"absent contains 1"_s << false;
        QTest::newRow("missing is missing") << u"address.zip4 missing"_s << true;
        QTest::newRow("present is not missing") << u"address.zip missing"_s << false;
        QTest::newRow("null exists") << u"note exists"_s << true;
        QTest::newRow("through a string is missing") << u"plan.x exists"_s << false;
        QTest::newRow("index past the end") << u"tags[3] exists"_s << false;
        QTest::newRow("index of an object") << u"address[0] exists"_s << false;

        // contains and matches.
        QTest::newRow("substring") << u"name contains \"Bob\""_s << true;
        QTest::newRow("substring is case sensitive") << u"name contains \"bob\""_s << false;
        QTest::newRow("array member") << u"tags contains \"beta\""_s << true;
        QTest::newRow("array member number") << u"tags contains 3"_s << true;
        QTest::newRow("array non-member") << u"tags contains \"gamma\""_s << false;
        QTest::newRow("empty array") << u"empty contains 1"_s << false;
        QTest::newRow("number contains nothing") << u"clicks contains 1"_s << false;
        QTest::newRow("string contains a number") << u"address.zip contains 150"_s << false;
        QTest::newRow("matches") << u"name matches \"^Bob\\\\s+B\""_s << true;
        QTest::newRow("matches unanchored") << u"name matches \"uild\""_s << true;
        QTest::newRow("matches false") << u"name matches \"^Builder\""_s << false;
        QTest::newRow("number does not match") << u"clicks matches \"1\""_s << false;

        // Paths.
        QTest::newRow("nested") << u"address.city == \"Oslo\""_s << true;
        QTest::newRow("array index") << u"tags[1] == \"beta\""_s << true;
        QTest::newRow("index then key") << u"address.lines[1].street == \"Side\""_s << true;
        QTest::newRow("quoted segment") << u"\"a.b\".c == 7"_s << true;
        QTest::newRow("bracket quoted segment") << u"[\"a.b\"].c == 7"_s << true;
        QTest::newRow("keyword as quoted key") << u"\"not\" == 1"_s << true;
        QTest::newRow("quoted keys all the way") << u"\"and\".\"or\" == \"x\""_s << true;
        QTest::newRow("escaped quote in key") << u"\"odd \\\"key\\\"\" == 2"_s << true;
        QTest::newRow("escaped quote in bracket") << u"[\"odd \\\"key\\\"\"] == 2"_s << true;
        QTest::newRow("unicode escape in key") << u"\"\\u0061.b\".c == 7"_s << true;

        // Logic.
        QTest::newRow("issue example")
            << u"name contains \"Bob\" and not (plan == \"free\")"_s << true;
        QTest::newRow("and false") << u"clicks > 100 and plan == \"free\""_s << false;
        QTest::newRow("or") << u"clicks > 1000 or plan == \"pro\""_s << true;
        QTest::newRow("or false") << u"clicks > 1000 or plan == \"free\""_s << false;
        QTest::newRow("and binds tighter than or")
            << u"plan == \"pro\" or clicks > 1000 and plan == \"free\""_s << true;
        QTest::newRow("parentheses change it")
            << u"(plan == \"pro\" or clicks > 1000) and plan == \"free\""_s << false;
        QTest::newRow("not not") << u"not not clicks == 120"_s << true;
        QTest::newRow("not without space") << u"not(clicks == 120)"_s << false;
        QTest::newRow("keywords in capitals") << u"clicks > 1 AND NOT plan == \"x\""_s << true;
        QTest::newRow("long chain") << QStringList(2000, u"clicks > 1"_s).join(u" and "_s) << true;
        QTest::newRow("deep but allowed")
            << QString(u"("_s.repeated(Predicate::MaxDepth) % u"clicks == 120"_s %
                       u")"_s.repeated(Predicate::MaxDepth))
            << true;
    }
    void evaluates()
    {
        QFETCH(QString, predicate);
        QFETCH(bool, expected);
        QueryError error;
        const auto parsed = Predicate::parse(predicate, &error);
        QVERIFY2(parsed, qPrintable(error.text()));
        QCOMPARE(parsed->holds(TestSupport::jsonObject(Document)), expected);
        QCOMPARE(parsed->holds(QJsonValue(TestSupport::jsonObject(Document))), expected);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("predicate");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("messagePart");

        QTest::newRow("empty") << u"   "_s << 4 << u"empty"_s;
        QTest::newRow("no operator") << u"clicks 100"_s << 8 << u"expected an operator"_s;
        QTest::newRow("single =") << u"clicks = 100"_s << 8 << u"'=='"_s;
        QTest::newRow("no value") << u"clicks >"_s << 9 << u"expected a value after '>'"_s;
        QTest::newRow("unquoted string") << u"plan == free"_s << 9 << u"strings are quoted"_s;
        QTest::newRow("bad number") << u"clicks > 1.2.3"_s << 10 << u"JSON value"_s;
        QTest::newRow("unclosed string") << u"plan == \"pro"_s << 9 << u"not closed"_s;
        QTest::newRow("unclosed array") << u"tags == [1, 2"_s << 9 << u"not closed"_s;
        QTest::newRow("bad array") << u"tags == [1,, 2]"_s << 9 << u"JSON value"_s;
        QTest::newRow("unclosed parenthesis") << u"(clicks > 1"_s << 12 << u"column 1"_s;
        QTest::newRow("stray parenthesis") << u"clicks > 1)"_s << 11 << u"found ')'"_s;
        QTest::newRow("missing operand") << u"clicks > 1 and"_s << 15 << u"expected a path"_s;
        QTest::newRow("and as a path") << u"and == 1"_s << 1 << u"keyword"_s;
        QTest::newRow("two comparisons") << u"a == 1 b == 2"_s << 8 << u"found 'b'"_s;
        QTest::newRow("dot without key") << u"address. == 1"_s << 9 << u"after '.'"_s;
        QTest::newRow("bad index") << u"tags[x] == 1"_s << 6 << u"array index"_s;
        QTest::newRow("negative index") << u"tags[-1] == 1"_s << 6 << u"array index"_s;
        QTest::newRow("unclosed bracket") << u"tags[1 == 1"_s << 7 << u"']'"_s;
        QTest::newRow("bad escape") << u"\"a\\q\" == 1"_s << 3 << u"escape"_s;
        QTest::newRow("bad regex") << u"name matches \"(\""_s << 14 << u"regular expression"_s;
        QTest::newRow("regex not a string") << u"name matches 1"_s << 14 << u"regular"_s;
        QTest::newRow("exists takes no value") << u"name exists 1"_s << 13 << u"found '1'"_s;
        QTest::newRow("too deep") << QString(u"("_s.repeated(Predicate::MaxDepth + 1) %
                                             u"a == 1"_s % u")"_s.repeated(Predicate::MaxDepth + 1))
                                  << Predicate::MaxDepth + 1 << u"nested"_s;
        QTest::newRow("too deep with not")
            << QString(u"not "_s.repeated(Predicate::MaxDepth + 1) % u"a == 1"_s)
            << 4 * Predicate::MaxDepth + 1 << u"nested"_s;
        QTest::newRow("too long") << QString(Predicate::MaxLength + 1, u'a')
                                  << int(Predicate::MaxLength + 1) << u"longer than"_s;
    }
    void rejects()
    {
        QFETCH(QString, predicate);
        QFETCH(int, column);
        QFETCH(QString, messagePart);
        QueryError error;
        QVERIFY(!Predicate::parse(predicate, &error));
        QVERIFY2(error.message.contains(messagePart), qPrintable(error.text()));
        QCOMPARE(error.column, column);
        QVERIFY(error.text().startsWith(u"column %1: "_s.arg(column)));
    }

    void exposesTheTree()
    {
        QueryError error;
        const auto simple = Predicate::parse(u"address.lines[0].street == \"Main\""_s, &error);
        QVERIFY(simple);
        const PredicateNode &root = simple->root();
        QCOMPARE(root.kind, PredicateNode::Kind::Compare);
        QCOMPARE(root.op, PredicateNode::Op::Equal);
        QCOMPARE(root.value, QJsonValue(u"Main"_s));
        QCOMPARE(root.path.steps().size(), 4);
        QCOMPARE(root.path.steps().at(2).kind, PathStep::Kind::Index);
        QCOMPARE(root.path.steps().at(2).index, 0);
        QCOMPARE(root.path.display(), u"address.lines[0].street"_s);

        const auto chain =
            Predicate::parse(u"a == 1 and b == 2 and c exists or not d missing"_s, &error);
        QVERIFY(chain);
        QCOMPARE(chain->root().kind, PredicateNode::Kind::Or);
        QCOMPARE(chain->root().children.size(), 2u);
        QCOMPARE(chain->root().children.at(0).kind, PredicateNode::Kind::And);
        QCOMPARE(chain->root().children.at(0).children.size(), 3u);
        QCOMPARE(chain->root().children.at(1).kind, PredicateNode::Kind::Not);
        QCOMPARE(chain->root().children.at(1).children.at(0).kind, PredicateNode::Kind::Missing);
    }

    void pathsRoundTripTheirDisplayForm_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("display");
        QTest::newRow("plain") << u"a.b"_s << u"a.b"_s;
        QTest::newRow("index") << u"tags[2]"_s << u"tags[2]"_s;
        QTest::newRow("quoted dot") << u"\"a.b\".c"_s << u"[\"a.b\"].c"_s;
        QTest::newRow("bracket") << u"[\"a.b\"].c"_s << u"[\"a.b\"].c"_s;
        QTest::newRow("empty key") << u"x.\"\""_s << u"x[\"\"]"_s;
        QTest::newRow("quote in key") << u"\"say \\\"hi\\\"\""_s << u"[\"say \\\"hi\\\"\"]"_s;
        QTest::newRow("spaces around") << u"  a[0]  "_s << u"a[0]"_s;
    }
    void pathsRoundTripTheirDisplayForm()
    {
        QFETCH(QString, path);
        QFETCH(QString, display);
        QueryError error;
        const auto parsed = Predicate::parsePath(path, &error);
        QVERIFY2(parsed, qPrintable(error.text()));
        QCOMPARE(parsed->display(), display);
        const auto again = Predicate::parsePath(parsed->display(), &error);
        QVERIFY2(again, qPrintable(error.text()));
        QCOMPARE(*again, *parsed);
    }

    void rejectsBadPaths()
    {
        QueryError error;
        QVERIFY(!Predicate::parsePath(u"a b"_s, &error));
        QCOMPARE(error.column, 3);
        QVERIFY(!Predicate::parsePath(QString(), &error));
        QCOMPARE(error.column, 1);
        QVERIFY(!Predicate::parsePath(u"a..b"_s, &error));
        QCOMPARE(error.column, 3);
    }
};

QTEST_GUILESS_MAIN(TestPredicate)
#include "tst_predicate.moc"

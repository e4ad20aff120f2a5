#include "server/work_queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace faultdrill::server {
namespace {

struct Item {
  std::string batch_key;
  int64_t rows = 1;
  int id = 0;
};
using ItemPtr = std::unique_ptr<Item>;

ItemPtr MakeItem(int id, std::string key = "", int64_t rows = 1) {
  return std::make_unique<Item>(Item{std::move(key), rows, id});
}

std::vector<int> Ids(const std::vector<ItemPtr>& batch) {
  std::vector<int> ids;
  for (const ItemPtr& item : batch) ids.push_back(item->id);
  return ids;
}

TEST(WorkQueue, RefusesWhenFullAndLeavesTheItemWithTheCaller) {
  WorkQueue<ItemPtr> queue(2);
  ItemPtr a = MakeItem(1), b = MakeItem(2), c = MakeItem(3);
  EXPECT_TRUE(queue.TryPush(a));
  EXPECT_TRUE(queue.TryPush(b));
  EXPECT_FALSE(queue.TryPush(c));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->id, 3);
  EXPECT_EQ(queue.size(), 2u);
}

TEST(WorkQueue, UnbatchableItemsComeOutAloneInOrder) {
  WorkQueue<ItemPtr> queue(8);
  for (int i = 1; i <= 3; ++i) {
    ItemPtr item = MakeItem(i);
    queue.TryPush(item);
  }
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(Ids(queue.PopBatch(64, absl::Seconds(10))), std::vector<int>{i});
  }
}

TEST(WorkQueue, GathersQueuedItemsWithTheSameKeyUpToMaxRows) {
  WorkQueue<ItemPtr> queue(16);
  std::vector<ItemPtr> items;
  items.push_back(MakeItem(1, "classifier", 30));
  items.push_back(MakeItem(2));  // unbatchable: comes out alone
  items.push_back(MakeItem(3, "classifier", 30));
  items.push_back(MakeItem(4, "classifier", 30));  // would make 90 rows
  items.push_back(MakeItem(5, "classifier", 4));
  for (ItemPtr& item : items) ASSERT_TRUE(queue.TryPush(item));

  // 1 and 3 fit (60 rows); 4 does not, so the batch closes without waiting.
  EXPECT_EQ(Ids(queue.PopBatch(64, absl::Seconds(10))), (std::vector<int>{1, 3}));
  EXPECT_EQ(Ids(queue.PopBatch(64, absl::Seconds(10))), std::vector<int>{2});
  EXPECT_EQ(Ids(queue.PopBatch(64, absl::ZeroDuration())), (std::vector<int>{4, 5}));
}

TEST(WorkQueue, ABatchClosesWhenTheWindowEnds) {
  WorkQueue<ItemPtr> queue(4);
  ItemPtr item = MakeItem(1, "classifier", 1);
  queue.TryPush(item);
  const absl::Time start = absl::Now();
  EXPECT_EQ(Ids(queue.PopBatch(64, absl::Milliseconds(20))), std::vector<int>{1});
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(20));
}

TEST(WorkQueue, StopDrainsWhatIsLeftThenReturnsEmptyBatches) {
  WorkQueue<ItemPtr> queue(4);
  ItemPtr item = MakeItem(1);
  queue.TryPush(item);
  queue.Stop();
  ItemPtr late = MakeItem(2);
  EXPECT_FALSE(queue.TryPush(late));
  EXPECT_EQ(Ids(queue.PopBatch(64, absl::Seconds(1))), std::vector<int>{1});
  EXPECT_TRUE(queue.PopBatch(64, absl::Seconds(1)).empty());
}

}  // namespace
}  // namespace faultdrill::server

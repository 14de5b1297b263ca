// A page built with Component(): page hooks live under `methods`. It has no share handler, so its
// menu has no share entry, and the SDK does not add one.
const miniscope = require('../../libs/miniscope.js');

Component({
  data: { items: ['A1', 'B2', 'C3'] },
  methods: {
    onLoad() {},
    pick(e) {
      miniscope.track('pick_goods', { sku: e.currentTarget.dataset.sku });
    },
  },
});
